// Read all of standard input. readFileSync(0) fails with EAGAIN when stdin is a non-blocking
// pipe (common in shell pipelines), so read it as a stream.
import type { Readable } from 'node:stream';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
