#!/usr/bin/env python3
"""Raw-socket scenarios for the netlink_test module, run inside the test VM.

    nltest.py SCENARIO [ARGS]   run one scenario; exit 0 = pass, else the
                                reason is printed
    nltest.py --list            list the scenarios

Only the standard library is used: Python's socket module speaks AF_NETLINK.
Protocol numbers come from kmod/netlink_test.h, parsed the way any tool may
parse it (one "NAME = VALUE," per line), so this also checks that the header
stays parseable.
"""
import errno
import os
import re
import select
import signal
import socket
import struct
import sys
import time
from vmcheck import Fail, expect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HEADER = os.path.join(ROOT, "kmod", "netlink_test.h")
PARAMS = "/sys/module/netlink_test/parameters"


def parse_header(path):
    """NAME -> int (or str for quoted #defines) from the uapi header."""
    names = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*([A-Z][A-Z0-9_]*)\s*=\s*(0x[0-9a-fA-F]+|\d+),", line)
            if m:
                names[m.group(1)] = int(m.group(2), 0)
                continue
            m = re.match(r"#define\s+([A-Z][A-Z0-9_]*)\s+(0x[0-9a-fA-F]+|\d+|\"[^\"]*\")\s*$", line)
            if m:
                v = m.group(2)
                names[m.group(1)] = v[1:-1] if v.startswith('"') else int(v, 0)
    return names


H = parse_header(HEADER)
globals().update(H)  # NLTEST_MSG_ECHO, NETLINK_TEST, ...

# Kernel constants (linux/netlink.h, linux/genetlink.h).
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_OPS = 6
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_OP_ID = 1
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

HDR = struct.Struct("=IHHII")  # struct nlmsghdr
NLA = struct.Struct("=HH")  # struct nlattr
GENL = struct.Struct("=BBH")  # struct genlmsghdr



def align4(n):
    return (n + 3) & ~3


# ---- encoding / decoding ---------------------------------------------------

def nlmsg(mtype, payload=b"", flags=NLM_F_REQUEST, seq=1, pid=0, length=None):
    """One netlink message; length overrides nlmsg_len (to lie about it)."""
    n = HDR.size + len(payload) if length is None else length
    return HDR.pack(n, mtype, flags, seq, pid) + payload


def pad(msg):
    return msg + b"\0" * (align4(len(msg)) - len(msg))


def attr(atype, data):
    if isinstance(data, str):
        data = data.encode() + b"\0"
    return NLA.pack(NLA.size + len(data), atype) + data + b"\0" * (align4(len(data)) - len(data))


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def attrs(buf):
    """type -> value bytes (last one wins), from a TLV area."""
    out, off = {}, 0
    while off + NLA.size <= len(buf):
        alen, atype = NLA.unpack_from(buf, off)
        if alen < NLA.size or off + alen > len(buf):
            raise Fail("bad attribute at offset %d: len %d" % (off, alen))
        out[atype & 0x3FFF] = buf[off + NLA.size:off + alen]
        off += align4(alen)
    return out


def get_u32(a, t):
    return struct.unpack("=I", a[t])[0]


def get_u64(a, t):
    return struct.unpack("=Q", a[t])[0]


def get_str(a, t):
    return a[t].split(b"\0", 1)[0].decode()


class Msg:
    def __init__(self, buf):
        self.len, self.type, self.flags, self.seq, self.pid = HDR.unpack_from(buf)
        self.raw = buf[:self.len]
        self.payload = buf[HDR.size:self.len]

    def attrs(self, skip=0):
        return attrs(self.payload[skip:])

    def error(self):
        """(errno, extack text or None, echoed header) of an NLMSG_ERROR."""
        expect(self.type == NLMSG_ERROR, "expected NLMSG_ERROR, got type 0x%x" % self.type)
        err = struct.unpack_from("=i", self.payload)[0]
        orig = HDR.unpack_from(self.payload, 4)
        off = 4 + (HDR.size if self.flags & NLM_F_CAPPED or err == 0 else orig[0])
        text = None
        if self.flags & NLM_F_ACK_TLVS:
            tlv = attrs(self.payload[align4(off):])
            if NLMSGERR_ATTR_MSG in tlv:
                text = get_str(tlv, NLMSGERR_ATTR_MSG)
        return err, text, orig

    def __repr__(self):
        return "<msg len=%d type=0x%x flags=0x%x seq=%d pid=%d>" % (
            self.len, self.type, self.flags, self.seq, self.pid)


def split(buf):
    msgs, off = [], 0
    while off + HDR.size <= len(buf):
        m = Msg(buf[off:])
        expect(m.len >= HDR.size and off + m.len <= len(buf), "bad framing from the kernel: %r" % m)
        msgs.append(m)
        off += align4(m.len)
    return msgs


class Sock:
    def __init__(self, proto=None, groups=0, pid=0, rcvbuf=None):
        proto = NETLINK_TEST if proto is None else proto
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((pid, groups))
        self.portid = self.s.getsockname()[0]
        self.pending = []

    def join(self, group):
        self.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)

    def send(self, data):
        self.s.sendto(data, (0, 0))

    def recv(self, timeout=2.0):
        """Next message, or None after timeout seconds."""
        if not self.pending:
            r, _, _ = select.select([self.s], [], [], timeout)
            if not r:
                return None
            self.pending = split(self.s.recv(1 << 20))
        return self.pending.pop(0)

    def recv_all(self, timeout=0.3):
        out = []
        while True:
            m = self.recv(timeout)
            if m is None:
                return out
            out.append(m)

    def must_recv(self, what, timeout=2.0):
        m = self.recv(timeout)
        expect(m is not None, "no %s within %.1fs" % (what, timeout))
        return m

    def close(self):
        self.s.close()


def expect_error(sock, data, err, text=None, what="error"):
    """Sends data and checks the NLMSG_ERROR that comes back."""
    sock.send(data)
    m = sock.must_recv(what)
    got, msg, _ = m.error()
    expect(got == err, "%s: error %d (%s), expected %d; extack %r" % (
        what, got, os.strerror(-got) if got < 0 else "ok", err, msg))
    if text is not None:
        expect(msg is not None and text in msg, "%s: extack %r, expected it to contain %r" % (what, msg, text))
    print("  %s: %d %r" % (what, got, msg))
    return msg


def stats(sock, reset=False):
    sock.send(nlmsg(NLTEST_MSG_STATS, attr(NLTEST_ATTR_RESET, b"") if reset else b"", seq=900))
    m = sock.must_recv("STATS reply")
    expect(m.type == NLTEST_MSG_STATS, "expected STATS reply, got %r" % m)
    a = m.attrs()
    names = {"rx": NLTEST_STATS_RX, "tx": NLTEST_STATS_TX, "mcast": NLTEST_STATS_MCAST,
             "errors": NLTEST_STATS_ERRORS, "dropped": NLTEST_STATS_DROPPED,
             "no_listeners": NLTEST_STATS_NO_LISTENERS}
    out = {k: get_u64(a, v) for k, v in names.items()}
    out["streams"] = get_u32(a, NLTEST_STATS_STREAMS)
    return out


def wait_streams_idle(sock, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if stats(sock)["streams"] == 0:
            return
        time.sleep(0.05)
    raise Fail("streams still running after %.1fs" % timeout)


# ---- scenarios -------------------------------------------------------------

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__] = fn
    return fn


@scenario
def header():
    """the uapi header parses and has the documented values"""
    expect(H.get("NETLINK_TEST") == 25, "NETLINK_TEST is %r" % H.get("NETLINK_TEST"))
    expect(H.get("NLTEST_MSG_LEGACY_ECHO") == 0, "LEGACY_ECHO must be 0")
    for k, v in H.items():
        if k.startswith("NLTEST_MSG_") and k != "NLTEST_MSG_LEGACY_ECHO":
            expect(v >= 0x10, "%s = 0x%x is below NLMSG_MIN_TYPE" % (k, v))
    print("  %d names" % len(H))


@scenario
def params():
    """module parameters are visible under /sys/module/netlink_test/parameters"""
    want = {"groups": 0o444, "stream_interval_ms": 0o644, "max_streams": 0o644,
            "verbose": 0o644, "trigger": 0o200}
    for name, mode in want.items():
        p = os.path.join(PARAMS, name)
        expect(os.path.exists(p), "%s missing" % p)
        got = os.stat(p).st_mode & 0o777
        expect(got == mode, "%s has mode %o, expected %o" % (p, got, mode))
    with open(os.path.join(PARAMS, "groups")) as f:
        expect(f.read().strip() == str(NLTEST_GROUPS_DEFAULT), "groups is not the default")


@scenario
def echo():
    """ECHO comes back with the same payload and seq"""
    s = Sock()
    payload = bytes(range(37))  # odd length: padding must not leak into the reply
    s.send(nlmsg(NLTEST_MSG_ECHO, payload, seq=4242))
    m = s.must_recv("ECHO reply")
    expect(m.type == NLTEST_MSG_ECHO, "reply type 0x%x" % m.type)
    expect(m.seq == 4242, "reply seq %d" % m.seq)
    expect(m.payload == payload, "payload differs: %r" % m.payload)
    expect(m.pid == s.portid, "reply nlmsg_pid %d, expected our portid %d" % (m.pid, s.portid))


@scenario
def legacy_hello():
    """type 0 "Hello you!" as the classic example sends it is echoed"""
    # The classic program: bind with nl_pid = getpid(), 1024-byte payload, type 0, flags 0.
    s = Sock(pid=os.getpid())
    payload = b"Hello you!".ljust(1024, b"\0")
    s.send(nlmsg(0, payload, flags=0, seq=0, pid=os.getpid()))
    m = s.must_recv("reply to type 0")
    expect(m.type == 0, "reply type 0x%x" % m.type)
    text = m.payload.split(b"\0", 1)[0]
    expect(text == b"Hello you!", "reply text %r" % text)
    print("  received: %s" % text.decode())


@scenario
def ack():
    """NLM_F_ACK gets the reply and then an ACK (error 0)"""
    s = Sock()
    s.send(nlmsg(NLTEST_MSG_ECHO, b"ack me", flags=NLM_F_REQUEST | NLM_F_ACK, seq=7))
    m = s.must_recv("ECHO reply")
    expect(m.type == NLTEST_MSG_ECHO and m.seq == 7, "first message %r" % m)
    a = s.must_recv("ACK")
    err, _, orig = a.error()
    expect(err == 0, "ACK error %d" % err)
    expect(a.seq == 7 and orig[3] == 7, "ACK seq %d / echoed seq %d" % (a.seq, orig[3]))
    # A STATS request with ACK: reply then ACK too.
    s.send(nlmsg(NLTEST_MSG_STATS, flags=NLM_F_REQUEST | NLM_F_ACK, seq=8))
    expect(s.must_recv("STATS reply").type == NLTEST_MSG_STATS, "no STATS reply")
    expect(s.must_recv("ACK").error()[0] == 0, "STATS ACK not 0")


@scenario
def batch():
    """several messages in one datagram are all answered, in order"""
    s = Sock()
    data = b"".join(pad(nlmsg(NLTEST_MSG_ECHO, b"m%d" % i + b"\0" * i, seq=100 + i)) for i in range(3))
    s.send(data)
    got = [s.must_recv("reply %d" % i) for i in range(3)]
    expect([m.seq for m in got] == [100, 101, 102], "seqs %r" % [m.seq for m in got])
    # Legacy type 0 first, then a normal request in the same datagram.
    s.send(pad(nlmsg(0, b"old", flags=0, seq=1)) + nlmsg(NLTEST_MSG_ECHO, b"new", seq=2))
    a, b = s.must_recv("type 0 reply"), s.must_recv("ECHO reply")
    expect((a.type, a.seq, b.type, b.seq) == (0, 1, NLTEST_MSG_ECHO, 2), "got %r %r" % (a, b))


@scenario
def not_request():
    """a message without NLM_F_REQUEST is ignored (ACKed if asked)"""
    s = Sock()
    s.send(nlmsg(NLTEST_MSG_ECHO, b"x", flags=NLM_F_ACK, seq=5))
    m = s.must_recv("ACK")
    expect(m.type == NLMSG_ERROR and m.error()[0] == 0, "expected only an ACK, got %r" % m)
    expect(s.recv(0.2) is None, "unexpected extra message")


@scenario
def mcast():
    """MCAST reaches the listeners of the chosen groups only"""
    g1 = Sock(groups=1 << 0)  # group 1 through bind()
    g2 = Sock()
    g2.join(2)  # group 2 through NETLINK_ADD_MEMBERSHIP
    tx = Sock()
    tx.send(nlmsg(NLTEST_MSG_MCAST, u32(NLTEST_ATTR_GROUPS, 0b01) + attr(NLTEST_ATTR_DATA, b"to group 1"),
                  flags=NLM_F_REQUEST | NLM_F_ACK, seq=11))
    expect(tx.must_recv("ACK").error()[0] == 0, "MCAST not ACKed")
    m = g1.must_recv("multicast on group 1")
    a = m.attrs()
    expect(m.type == NLTEST_MSG_MCAST and m.seq == 11, "got %r" % m)
    expect(get_u32(a, NLTEST_ATTR_GROUP) == 1, "GROUP attr %r" % a.get(NLTEST_ATTR_GROUP))
    expect(get_u32(a, NLTEST_ATTR_PORTID) == tx.portid, "PORTID attr is not the sender's")
    expect(a.get(NLTEST_ATTR_DATA) == b"to group 1", "DATA %r" % a.get(NLTEST_ATTR_DATA))
    expect(g2.recv(0.2) is None, "group 2 listener received a group 1 message")
    # Default group (1) and no DATA; then groups 1+2 at once.
    tx.send(nlmsg(NLTEST_MSG_MCAST, seq=12))
    expect(g1.must_recv("default-group multicast").seq == 12, "wrong seq")
    tx.send(nlmsg(NLTEST_MSG_MCAST, u32(NLTEST_ATTR_GROUPS, 0b11), seq=13))
    expect(g1.must_recv("multicast 1+2 on group 1").seq == 13, "wrong seq")
    m = g2.must_recv("multicast 1+2 on group 2")
    expect(get_u32(m.attrs(), NLTEST_ATTR_GROUP) == 2, "group 2 copy says group %d" % get_u32(m.attrs(), NLTEST_ATTR_GROUP))


@scenario
def stream_timing():
    """STREAM of 10 x 100 ms: the request returns at once, messages follow"""
    s = Sock()
    req = nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 10) + u32(NLTEST_ATTR_INTERVAL_MS, 100) +
                attr(NLTEST_ATTR_DATA, b"tick"), flags=NLM_F_REQUEST | NLM_F_ACK, seq=77)
    # An emulated CPU may be descheduled by its host for a moment: one slow
    # sendto() gets a second try. A callback that sleeps is slow every time.
    tries = []
    for attempt in range(2):
        t0 = time.monotonic()
        s.send(req)
        took = (time.monotonic() - t0) * 1000
        tries.append(took)
        first = s.must_recv("ACK")
        expect(first.type == NLMSG_ERROR and first.error()[0] == 0, "first message is not the ACK: %r" % first)
        got, arrivals = [], []
        while len(got) < 10:
            m = s.must_recv("stream message %d" % len(got), timeout=3)
            arrivals.append(time.monotonic())
            got.append(m)
        if took < 50:
            break
    expect(took < 50, "sendto took %s ms (the input callback must not wait)" % " and ".join("%.1f" % t for t in tries))
    span = arrivals[-1] - t0
    ids = set()
    stamps = []
    for i, m in enumerate(got):
        a = m.attrs()
        expect(m.type == NLTEST_MSG_STREAM and m.seq == 77, "message %d: %r" % (i, m))
        expect(get_u32(a, NLTEST_ATTR_INDEX) == i, "message %d has INDEX %d" % (i, get_u32(a, NLTEST_ATTR_INDEX)))
        expect(get_u32(a, NLTEST_ATTR_COUNT) == 10, "COUNT %d" % get_u32(a, NLTEST_ATTR_COUNT))
        expect(a.get(NLTEST_ATTR_DATA) == b"tick", "DATA %r" % a.get(NLTEST_ATTR_DATA))
        ids.add(get_u32(a, NLTEST_ATTR_STREAM_ID))
        stamps.append(get_u64(a, NLTEST_ATTR_TIMESTAMP_NS))
    expect(len(ids) == 1, "several stream ids: %r" % ids)
    gaps = [(b - a) / 1e6 for a, b in zip(stamps, stamps[1:])]
    # Spread over ~900 ms on the kernel's clock, not sent in a burst.
    kspan = (stamps[-1] - stamps[0]) / 1e6
    expect(850 <= kspan <= 2500, "9 gaps of 100 ms took %.0f ms: %r" % (kspan, [round(g) for g in gaps]))
    expect(0.9 <= span <= 5.0, "10 x 100 ms arrived over %.2fs" % span)
    expect(s.recv(0.3) is None, "more than 10 messages")
    print("  sendto returned in %s ms; 10 messages over %.2f s; gaps %s ms"
          % (" / ".join("%.2f" % t for t in tries), span, " ".join(str(round(g)) for g in gaps)))


@scenario
def stream_group():
    """STREAM to a multicast group reaches its listener"""
    lis = Sock()
    lis.join(3)
    s = Sock()
    s.send(nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 3) + u32(NLTEST_ATTR_INTERVAL_MS, 20) +
                 u32(NLTEST_ATTR_GROUP, 3), seq=31))
    idx = [get_u32(lis.must_recv("stream message").attrs(), NLTEST_ATTR_INDEX) for _ in range(3)]
    expect(idx == [0, 1, 2], "indices %r" % idx)
    expect(s.recv(0.2) is None, "the requester got a message of a group stream")


@scenario
def stream_burst():
    """STREAM with interval 0 delivers all messages at once"""
    s = Sock(rcvbuf=1 << 20)
    s.send(nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 300) + u32(NLTEST_ATTR_INTERVAL_MS, 0), seq=3))
    t0 = time.monotonic()
    idx = [get_u32(s.must_recv("message %d" % i).attrs(), NLTEST_ATTR_INDEX) for i in range(300)]
    took = time.monotonic() - t0
    expect(idx == list(range(300)), "indices out of order")
    expect(s.recv(0.3) is None, "more than 300 messages")
    print("  300 messages in %.0f ms" % (took * 1000))


@scenario
def malformed_short():
    """a datagram shorter than nlmsghdr gets -EINVAL with extack"""
    expect_error(Sock(), b"\x08\x00\x00\x00\x10\x00\x05\x00", -errno.EINVAL,
                 "netlink_test: datagram shorter than a netlink header", "8-byte datagram")


@scenario
def malformed_len_small():
    """nlmsg_len smaller than the header gets -EINVAL with extack"""
    expect_error(Sock(), nlmsg(NLTEST_MSG_ECHO, b"abcd", length=8, seq=9), -errno.EINVAL,
                 "netlink_test: nlmsg_len smaller than the netlink header", "nlmsg_len 8")


@scenario
def malformed_len_lies():
    """nlmsg_len larger than the datagram gets -EINVAL with extack"""
    s = Sock()
    expect_error(s, nlmsg(NLTEST_MSG_ECHO, b"abcd", length=1000, seq=10), -errno.EINVAL,
                 "netlink_test: nlmsg_len larger than the datagram", "nlmsg_len 1000 in 20 bytes")
    # The second message of a datagram lies: the whole datagram is rejected.
    expect_error(s, pad(nlmsg(NLTEST_MSG_ECHO, b"ok", seq=11)) + nlmsg(NLTEST_MSG_ECHO, b"", length=64, seq=12),
                 -errno.EINVAL, "larger than the datagram", "second message lies")
    expect(s.recv(0.2) is None, "a message of the rejected datagram was answered")


@scenario
def unknown_type():
    """an unknown message type gets -EINVAL with extack"""
    expect_error(Sock(), nlmsg(0x55, b"", seq=13), -errno.EINVAL,
                 "netlink_test: unknown message type", "type 0x55")


@scenario
def bad_attrs():
    """bad attributes get -EINVAL with extack"""
    s = Sock()
    # A u32 attribute that is 2 bytes long: the policy rejects it.
    expect_error(s, nlmsg(NLTEST_MSG_MCAST, NLA.pack(6, NLTEST_ATTR_GROUPS) + b"\1\0\0\0", seq=14),
                 -errno.EINVAL, None, "2-byte GROUPS")
    # An attribute whose length runs past the message.
    expect_error(s, nlmsg(NLTEST_MSG_STREAM, NLA.pack(64, NLTEST_ATTR_COUNT) + b"\1\0\0\0", seq=15),
                 -errno.EINVAL, None, "attribute past the end")
    # An attribute type the protocol does not know.
    expect_error(s, nlmsg(NLTEST_MSG_STATS, u32(99, 1), seq=16), -errno.EINVAL, None, "attribute type 99")
    # Values out of range.
    expect_error(s, nlmsg(NLTEST_MSG_MCAST, u32(NLTEST_ATTR_GROUPS, 1 << 8), seq=17), -errno.EINVAL,
                 "netlink_test: GROUPS mask", "group 9 of 4")
    expect_error(s, nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 0), seq=18), -errno.EINVAL,
                 "netlink_test: COUNT out of range", "COUNT 0")
    expect_error(s, nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_GROUP, 1) + u32(NLTEST_ATTR_PORTID, 1), seq=19),
                 -errno.EINVAL, "exclusive", "PORTID and GROUP")


@scenario
def stats_count():
    """STATS counters match the traffic"""
    s = Sock()
    lis = Sock(groups=1)
    wait_streams_idle(s)
    stats(s, reset=True)  # its reply is counted as tx 1 after the reset
    for i in range(3):
        s.send(nlmsg(NLTEST_MSG_ECHO, b"count me", seq=i))
        s.must_recv("ECHO reply")
    s.send(nlmsg(NLTEST_MSG_MCAST, u32(NLTEST_ATTR_GROUPS, 0b11), seq=20))  # group 2 has no listener
    lis.must_recv("multicast")
    s.send(nlmsg(0x77, seq=21))
    s.must_recv("error")
    got = stats(s)
    want = {"rx": 6, "tx": 4, "mcast": 1, "errors": 1, "dropped": 0, "no_listeners": 1, "streams": 0}
    print("  %r" % got)
    expect(got == want, "counters %r, expected %r" % (got, want))


@scenario
def dropped():
    """undeliverable stream messages are counted as dropped"""
    s = Sock()
    wait_streams_idle(s)
    stats(s, reset=True)
    # A port nobody has: the first message fails with ECONNREFUSED and the stream ends.
    s.send(nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 5) + u32(NLTEST_ATTR_INTERVAL_MS, 1) +
                 u32(NLTEST_ATTR_PORTID, 0x7FFFFFF0), seq=40))
    wait_streams_idle(s)
    got = stats(s)
    expect(got["dropped"] == 1, "dropped %d after a stream to a closed port, expected 1" % got["dropped"])


@scenario
def overrun():
    """a burst into a small receive buffer: ENOBUFS for the reader, dropped counted"""
    s = Sock()
    wait_streams_idle(s)
    stats(s, reset=True)
    small = Sock(rcvbuf=4096)
    # One request; the burst overflows the small buffer while nobody reads.
    small.send(nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 200) + u32(NLTEST_ATTR_INTERVAL_MS, 0) +
                     attr(NLTEST_ATTR_DATA, b"x" * 200), seq=41))
    wait_streams_idle(s)
    saw = None
    try:
        small.recv_all(0.2)
    except OSError as e:
        saw = e.errno
    expect(saw == errno.ENOBUFS, "reader saw %r, expected ENOBUFS" % saw)
    got = stats(s)
    expect(got["dropped"] > 0, "dropped is 0 after an overrun")
    print("  dropped %d of 200" % got["dropped"])


@scenario
def mcast_group(group):
    """MCAST to one group (given as an argument) reaches its listener"""
    g = int(group)
    lis = Sock()
    lis.join(g)
    tx = Sock()
    tx.send(nlmsg(NLTEST_MSG_MCAST, u32(NLTEST_ATTR_GROUPS, 1 << (g - 1)), seq=50))
    m = lis.must_recv("multicast on group %d" % g)
    expect(get_u32(m.attrs(), NLTEST_ATTR_GROUP) == g, "wrong GROUP")


@scenario
def gone():
    """after rmmod: no protocol 25, no nlctl_test family"""
    try:
        socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_TEST).close()
        raise Fail("socket(AF_NETLINK, 25) still works")
    except OSError as e:
        expect(e.errno == errno.EPROTONOSUPPORT, "socket(25): %s" % e)
    s = Sock(NETLINK_GENERIC)
    s.send(genl_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr(CTRL_ATTR_FAMILY_NAME, NLTEST_GENL_NAME)))
    err = s.must_recv("nlctrl reply").error()[0]
    expect(err == -errno.ENOENT, "nlctrl says %d for the family" % err)


@scenario
def stream_limit():
    """more streams than max_streams get -EBUSY with extack (leaves 2 running)"""
    path = os.path.join(PARAMS, "max_streams")
    with open(path) as f:
        old = f.read().strip()
    s = Sock()
    wait_streams_idle(s)
    with open(path, "w") as f:
        f.write("2")
    try:
        # Long streams to a group nobody listens to: they idle until rmmod.
        req = nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 1000) + u32(NLTEST_ATTR_INTERVAL_MS, 1000) +
                    u32(NLTEST_ATTR_GROUP, 4), flags=NLM_F_REQUEST | NLM_F_ACK)
        for i in range(2):
            s.send(req)
            expect(s.must_recv("ACK %d" % i).error()[0] == 0, "stream %d refused" % i)
        expect_error(s, req, -errno.EBUSY, "netlink_test: too many streams running", "third stream")
        expect(stats(s)["streams"] == 2, "STATS does not show 2 streams")
    finally:
        with open(path, "w") as f:
            f.write(old)


# ---- generic netlink ---------------------------------------------------------

def genl_msg(family, cmd, payload=b"", flags=NLM_F_REQUEST, seq=1, version=1):
    return nlmsg(family, GENL.pack(cmd, version, 0) + payload, flags=flags, seq=seq)


def resolve_family(s, name):
    s.send(genl_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr(CTRL_ATTR_FAMILY_NAME, name), seq=1))
    m = s.must_recv("nlctrl reply")
    if m.type == NLMSG_ERROR:
        raise Fail("CTRL_CMD_GETFAMILY %s: %r" % (name, m.error()[:2]))
    a = m.attrs(GENL.size)
    fam = {"id": struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID])[0], "version": get_u32(a, CTRL_ATTR_VERSION),
           "name": get_str(a, CTRL_ATTR_FAMILY_NAME), "ops": [], "groups": {}}
    for op in attrs(a.get(CTRL_ATTR_OPS, b"")).values():
        fam["ops"].append(get_u32(attrs(op), CTRL_ATTR_OP_ID))
    for g in attrs(a.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
        ga = attrs(g)
        fam["groups"][get_str(ga, CTRL_ATTR_MCAST_GRP_NAME)] = get_u32(ga, CTRL_ATTR_MCAST_GRP_ID)
    return fam


@scenario
def genl_family():
    """nlctrl resolves nlctl_test with its commands and events group"""
    fam = resolve_family(Sock(NETLINK_GENERIC), NLTEST_GENL_NAME)
    print("  %r" % fam)
    expect(fam["name"] == NLTEST_GENL_NAME and fam["version"] == NLTEST_GENL_VERSION, "name/version")
    expect(sorted(fam["ops"]) == [NLTEST_GENL_CMD_ECHO, NLTEST_GENL_CMD_STATS], "ops %r" % fam["ops"])
    expect(NLTEST_GENL_MCGRP_EVENTS_NAME in fam["groups"], "no events group")


@scenario
def genl_echo():
    """genl ECHO replies with the string, or the default greeting"""
    s = Sock(NETLINK_GENERIC)
    fid = resolve_family(s, NLTEST_GENL_NAME)["id"]
    s.send(genl_msg(fid, NLTEST_GENL_CMD_ECHO, attr(NLTEST_GENL_ATTR_MSG, "hi there"), seq=2))
    m = s.must_recv("genl ECHO reply")
    expect(m.type == fid and m.seq == 2, "reply %r" % m)
    cmd = GENL.unpack_from(m.payload)[0]
    expect(cmd == NLTEST_GENL_CMD_ECHO, "reply cmd %d" % cmd)
    expect(get_str(m.attrs(GENL.size), NLTEST_GENL_ATTR_MSG) == "hi there", "reply %r" % m.attrs(GENL.size))
    s.send(genl_msg(fid, NLTEST_GENL_CMD_ECHO, seq=3))
    m = s.must_recv("genl ECHO reply")
    expect(get_str(m.attrs(GENL.size), NLTEST_GENL_ATTR_MSG) == NLTEST_GENL_HELLO, "default greeting")
    # Strict validation: an unknown attribute is refused with extack.
    expect_error(s, genl_msg(fid, NLTEST_GENL_CMD_ECHO, u32(42, 1), seq=4), -errno.EINVAL, None, "attribute 42")
    # An unknown command.
    expect_error(s, genl_msg(fid, 99, seq=5), -errno.EOPNOTSUPP, None, "command 99")


@scenario
def genl_stats():
    """genl STATS returns the counters nested"""
    s = Sock(NETLINK_GENERIC)
    fid = resolve_family(s, NLTEST_GENL_NAME)["id"]
    s.send(genl_msg(fid, NLTEST_GENL_CMD_STATS, seq=6))
    m = s.must_recv("genl STATS reply")
    st = attrs(m.attrs(GENL.size)[NLTEST_GENL_ATTR_STATS])
    expect(NLTEST_STATS_RX in st and get_u64(st, NLTEST_STATS_RX) >= 1, "nested stats %r" % st)


@scenario
def genl_event():
    """writing to the /sys trigger multicasts an event to nlctl_test:events"""
    s = Sock(NETLINK_GENERIC)
    fam = resolve_family(s, NLTEST_GENL_NAME)
    lis = Sock(NETLINK_GENERIC)
    lis.join(fam["groups"][NLTEST_GENL_MCGRP_EVENTS_NAME])
    seqs = []
    for text in ("first event", "second event"):
        with open(os.path.join(PARAMS, "trigger"), "w") as f:
            f.write(text + "\n")
        m = lis.must_recv("event")
        expect(m.type == fam["id"], "event type 0x%x" % m.type)
        expect(GENL.unpack_from(m.payload)[0] == NLTEST_GENL_CMD_EVENT, "event cmd")
        a = m.attrs(GENL.size)
        expect(get_str(a, NLTEST_GENL_ATTR_MSG) == text, "event text %r" % a.get(NLTEST_GENL_ATTR_MSG))
        seqs.append(get_u32(a, NLTEST_GENL_ATTR_EVENT_SEQ))
    expect(seqs[1] == seqs[0] + 1, "event seqs %r" % seqs)
    # Too long a text is refused by the write.
    try:
        with open(os.path.join(PARAMS, "trigger"), "w") as f:
            f.write("x" * 300)
        raise Fail("a 300-byte trigger write succeeded")
    except OSError as e:
        expect(e.errno == errno.EINVAL, "300-byte write: %s" % e)


@scenario
def verbose_log():
    """verbose=1 logs each message to the kernel log"""
    with open(os.path.join(PARAMS, "verbose"), "w") as f:
        f.write("1")
    try:
        s = Sock()
        s.send(nlmsg(NLTEST_MSG_ECHO, b"log me", seq=31337))
        s.must_recv("ECHO reply")
    finally:
        with open(os.path.join(PARAMS, "verbose"), "w") as f:
            f.write("0")
    import subprocess  # only here: importing it is slow under an emulated CPU
    log = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
    expect("netlink_test: rx type=0x10" in log and "seq=31337" in log, "no log line for the message")


# ---- helpers run in the background by guest-module.sh ------------------------

def holder(ready_path):
    """Binds listeners, starts long streams, signals readiness, then reads until killed."""
    lis = Sock(groups=0b1111)
    lis.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, 2)
    lis.send(nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 100000) + u32(NLTEST_ATTR_INTERVAL_MS, 10)))
    lis.send(nlmsg(NLTEST_MSG_STREAM, u32(NLTEST_ATTR_COUNT, 100000) + u32(NLTEST_ATTR_INTERVAL_MS, 5) +
                   u32(NLTEST_ATTR_GROUP, 2)))
    lis.must_recv("first stream message")
    open(ready_path, "w").close()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    while True:
        try:
            lis.recv(1.0)
        except OSError:
            pass


def churn(stop_path, ready_path=None):
    """Opens protocol-25 sockets, sends ECHO requests on each and closes it, again and again
    until STOP_PATH exists, across module reloads. socket() fails with EPROTONOSUPPORT while the
    module is out; an open socket holds the module, so every request sent on it is answered
    (the kernel runs the input callback inside sendto) and ECONNREFUSED is a failure."""
    import random  # only here: importing it is slow under an emulated CPU
    rnd = random.Random(os.getpid())
    opened = absent = sent = 0
    if ready_path:
        open(ready_path, "w").close()
    while not os.path.exists(stop_path):
        try:
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_TEST)
        except OSError as e:
            if e.errno != errno.EPROTONOSUPPORT:
                raise
            absent += 1
            time.sleep(0.002)
            continue
        opened += 1
        try:
            s.bind((0, 1 if opened % 2 else 0))
            n = rnd.randint(1, 20)
            for i in range(n):
                s.sendto(nlmsg(NLTEST_MSG_ECHO, b"churn", seq=i), (0, 0))
            sent += n
            time.sleep(rnd.random() * 0.02)
            s.setblocking(False)
            got = []
            try:
                while True:
                    got += split(s.recv(1 << 16))
            except BlockingIOError:
                pass
            seqs = sorted(m.seq for m in got if m.type == NLTEST_MSG_ECHO)
            expect(seqs == list(range(n)), "socket %d: %d ECHO requests, replies %r" % (opened, n, seqs))
        finally:
            s.close()
        time.sleep(rnd.random() * 0.02)
    print("  churn: %d sockets opened, %d ECHO answered, socket() refused %d times" % (opened, sent, absent))


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    if argv[1] == "--list":
        for name, fn in SCENARIOS.items():
            print("%-20s %s" % (name, fn.__doc__))
        return 0
    helpers = {"holder": holder, "churn": churn}
    fn = helpers.get(argv[1]) or SCENARIOS.get(argv[1])
    if fn is None:
        print("unknown scenario %r (see --list)" % argv[1])
        return 2
    try:
        fn(*argv[2:])
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    except OSError as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
