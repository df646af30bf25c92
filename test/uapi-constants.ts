// Integer constants straight from the uapi headers, compiled with gcc (the kernel's own headers
// under .cache/kernel/include when fetched, else the installed ones): an independent source for
// tests. gcc is required (make test-deps); without it the calling test fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

export function uapiConstants<N extends string>(headers: string[], names: readonly N[]): Record<N, number> {
  const inc = `${ROOT}.cache/kernel/include`;
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-uapi-'));
  try {
    const src = `#include <stdio.h>\n${headers.map((h) => `#include <${h}>`).join('\n')}\nint main(void){\n${names.map((n) => `printf("%s %lld\\n", "${n}", (long long)(${n}));`).join('\n')}\nreturn 0;}\n`;
    writeFileSync(join(dir, 'c.c'), src);
    const cc = spawnSync('gcc', ['-w', ...(existsSync(`${inc}/linux/netlink.h`) ? ['-I', inc] : []), '-o', join(dir, 'c'), join(dir, 'c.c')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, `gcc failed (install gcc and linux-libc-dev: make test-deps): ${cc.stderr ?? cc.error}`);
    const out = spawnSync(join(dir, 'c'), { encoding: 'utf8' }).stdout;
    return Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)])) as Record<N, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
