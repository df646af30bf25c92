#!/usr/bin/env node
// V8's code cache of the bundle for one group of commands (cache-training.mjs): the bundle is
// loaded as bin/nlctl loads it, the group's runs are made, and what they compiled is written to
// dist/main.cjs.GROUP.cache (dist/main.cjs.cache for 'main', the cache of the other commands).
// One process per group, so that each cache holds its own runs' functions only: a cache costs
// its whole size to read at every start, used or not.
//   node scripts/code-cache.mjs GROUP
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Script } from 'node:vm';
import { trainingRuns } from './cache-training.mjs';

const group = process.argv[2];
const runs = trainingRuns(group);
const file = resolve('dist/main.cjs');
const source = readFileSync(file, 'latin1');
// The bundle ends with "//# nlctl-build ID\n", and the cache starts with the ID (bin/nlctl checks).
const bundleId = source.slice(-17, -1);
const script = new Script(source, { filename: file });
const cli = { exports: {} };
script.runInThisContext()(cli.exports, createRequire(file), cli, file, dirname(file));
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });
for (const [argv, input, deps] of runs) {
  const code = await cli.exports.main(argv, { stdin: Readable.from(input ? [input] : []), stdout: sink(), stderr: sink(), env: {}, ...deps });
  if (code !== 0) throw new Error(`code-cache: nlctl ${argv.join(' ')} exited ${code} while making the ${group} cache`);
}
writeFileSync(group === 'main' ? `${file}.cache` : `${file}.${group}.cache`, Buffer.concat([Buffer.from(bundleId, 'latin1'), script.createCachedData()]));
