// A file the user named, to read or to write: a failure is a usage error that names the file
// and says why in words (no such file, a directory), never an internal error.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};
/** A file that cannot be created: ENOENT means its directory is missing. */
const WRITE_REASONS: Record<string, string> = { ...REASONS, ENOENT: 'no such directory' };

export interface FileErrorOptions {
  /** An option name, before the path (`--file`). */
  label?: string;
  /** What the file was for, after a directory's "not a file" (decode: "… not a file to decode"). */
  use?: string;
  /** The file was to be written. */
  writing?: boolean;
}

export function fileError(path: string, e: unknown, o: FileErrorOptions = {}): UsageError {
  const err = e as NodeJS.ErrnoException;
  const why = (err.code && (o.writing ? WRITE_REASONS : REASONS)[err.code]) ?? err.message.replace(/^[A-Z]+: /, '');
  return new UsageError(`${o.label ? `${o.label} ` : ''}${path}: ${why}${o.use && err.code === 'EISDIR' ? ` ${o.use}` : ''}`);
}

/** The file's bytes; `label` (an option name) goes before the path in the message. */
export function readUserFile(path: string, label?: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileError(path, e, { label });
  }
}
