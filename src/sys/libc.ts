// The libc calls nlctl needs, bound with ffi-rs. This is the only file that imports ffi-rs.
// Buffers are passed as U8Array: the C side reads and writes the Buffer's own memory.
// Pointers that may be NULL are declared U64 and passed 0.
// Before ffi-rs: it loads its glibc build without a whole diagnostic report (ffi-glibc.ts).
import { restoreReport } from './ffi-glibc.js';
import { DataType, define, open } from 'ffi-rs';

restoreReport();
open({ library: 'libc', path: 'libc.so.6' });

const I32 = DataType.I32;
const U64 = DataType.U64;
const I64 = DataType.I64;
const BUF = DataType.U8Array;
const lib = 'libc';

export const libc = define({
  socket: { library: lib, retType: I32, paramsType: [I32, I32, I32], errno: true },
  bind: { library: lib, retType: I32, paramsType: [I32, BUF, I32], errno: true },
  getsockname: { library: lib, retType: I32, paramsType: [I32, BUF, BUF], errno: true },
  sendto: { library: lib, retType: I64, paramsType: [I32, BUF, U64, I32, BUF, I32], errno: true },
  sendmsg: { library: lib, retType: I64, paramsType: [I32, BUF, I32], errno: true },
  recvmsg: { library: lib, retType: I64, paramsType: [I32, BUF, I32], errno: true },
  // recvmmsg(fd, struct mmsghdr *, vlen, flags, struct timespec *timeout = NULL): many datagrams per call.
  recvmmsg: { library: lib, retType: I32, paramsType: [I32, BUF, DataType.U32, I32, U64], errno: true },
  setsockopt: { library: lib, retType: I32, paramsType: [I32, I32, I32, BUF, I32], errno: true },
  getsockopt: { library: lib, retType: I32, paramsType: [I32, I32, I32, BUF, BUF], errno: true },
  close: { library: lib, retType: I32, paramsType: [I32], errno: true },
  eventfd: { library: lib, retType: I32, paramsType: [DataType.U32, I32], errno: true },
  write: { library: lib, retType: I64, paramsType: [I32, BUF, U64], errno: true },
  read: { library: lib, retType: I64, paramsType: [I32, BUF, U64], errno: true },
  open: { library: lib, retType: I32, paramsType: [DataType.String, I32], errno: true },
  setns: { library: lib, retType: I32, paramsType: [I32, I32], errno: true },
  getpid: { library: lib, retType: I32, paramsType: [] },
  // memmove(buf, buf, 0) returns buf: the way to learn a Buffer's address for msghdr/iovec.
  memmove: { library: lib, retType: U64, paramsType: [BUF, BUF, U64] },
});

// Blocking poll runs on libuv's thread pool so timers and signal handlers keep running.
export const libcThreaded = define({
  poll: { library: lib, retType: I32, paramsType: [BUF, U64, I32], errno: true, runInNewThread: true },
  // A batch received while the main thread handles the one before (BatchReceiver.receiveAhead).
  recvmmsg: { library: lib, retType: I32, paramsType: [I32, BUF, DataType.U32, I32, U64], errno: true, runInNewThread: true },
});

export interface Result {
  value: number;
  errnoCode: number;
}
