// Socket-level constants from <sys/socket.h>, <bits/socket.h>, <poll.h>, <fcntl.h>, <sched.h>
// (x86_64 / generic Linux values).
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;
/** SO_TIMESTAMPNS (SO_TIMESTAMPNS_OLD on 64-bit): a struct timespec receive time as a control message. */
export const SO_TIMESTAMPNS = 35;
export const SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
export const MSG_PEEK = 0x02;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_CTRUNC = 0x08;
export const POLLIN = 0x001;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;
export const CLONE_NEWNET = 0x40000000;
export const EPERM = 1;
export const EAGAIN = 11;
export const EINTR = 4;
export const ENOPROTOOPT = 92;
export const ENOBUFS = 105;
export const ECONNREFUSED = 111;
export const SOCKADDR_NL_LEN = 12;
