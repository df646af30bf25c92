#!/usr/bin/env node
// Writes dist/nlctl.1 from the commander program (after tsc): the man page says what --help says.
import { writeFileSync, mkdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';

const { buildProgram, VERSION } = await import('../build/src/cli.js');
const { manPage } = await import('../build/src/help/man.js');
const { helpExtras } = await import('../build/src/help/extras.js');
const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
const extras = await helpExtras();
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/nlctl.1', import.meta.url), manPage(buildProgram(io, undefined, extras), VERSION, extras));
