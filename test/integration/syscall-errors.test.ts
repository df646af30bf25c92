// Failing system calls become one typed error with the call, errno name and text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyscallError } from '../../src/errors.js';
import { NetlinkSocket } from '../../src/transport/index.js';

test('binding a port id that is taken fails with EADDRINUSE', () => {
  const a = new NetlinkSocket(2 /* NETLINK_USERSOCK */);
  try {
    assert.throws(
      () => new NetlinkSocket(2, { pid: a.portId }),
      (e: unknown) => e instanceof SyscallError && e.message === 'bind: Address already in use (EADDRINUSE)' && e.errno === 98 && e.exitCode === 3,
    );
  } finally {
    a.close();
  }
});

test('an unknown protocol fails at socket() with EPROTONOSUPPORT', () => {
  assert.throws(() => new NetlinkSocket(30), (e: unknown) => e instanceof SyscallError && e.errnoName === 'EPROTONOSUPPORT' && /^socket/.test(e.message));
});

test('entering a namespace that does not exist fails at open() with ENOENT and names the path', () => {
  assert.throws(() => new NetlinkSocket(0, { netns: 'no-such-netns-xyz' }), /open \/run\/netns\/no-such-netns-xyz: No such file or directory \(ENOENT\)/);
});
