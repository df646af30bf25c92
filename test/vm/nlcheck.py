#!/usr/bin/env python3
"""Checks what nlctl printed in the test VM (test/vm/guest-nlctl.sh).

    nlcheck.py CHECK FILES... [ARGS]

FILES are nlctl's `-f ndjson` output (one decoded message per line, see the
README's "JSON output"); BASE arguments name a run whose stdout is BASE.out and
stderr BASE.err. Exit 0 = pass, else the reason is printed. Only the standard
library is used.
"""
import json
import re
import sys
from datetime import datetime
from vmcheck import Fail, expect



def load(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                raise Fail("%s:%d is not JSON: %r" % (path, n, line[:200]))
    return out


def text(path):
    with open(path) as f:
        return f.read()


def attrs(m):
    """name -> value of the top-level attributes."""
    return {a.get("name"): a.get("value", a.get("hex")) for a in m.get("attrs", [])}


def when(m):
    """meta.time (ISO 8601, microseconds) in seconds."""
    return datetime.fromisoformat(m["meta"]["time"].replace("Z", "+00:00")).timestamp()


def incoming(msgs, type_name):
    return [m for m in msgs if m.get("meta", {}).get("direction") == "in" and m.get("type_name") == type_name]


def one(msgs, type_name, what):
    got = incoming(msgs, type_name)
    expect(len(got) == 1, "%s: %d %s message(s), expected 1; got types %r"
           % (what, len(got), type_name, [m.get("type_name") for m in msgs]))
    return got[0]


def acked(msgs, what):
    ack = one(msgs, "NLMSG_ERROR", what)
    expect(ack["error"]["errno"] == 0, "%s: error %r instead of an ACK" % (what, ack["error"]))
    return ack


# ---- checks ---------------------------------------------------------------

CHECKS = {}


def check(fn):
    CHECKS[fn.__name__] = fn
    return fn


@check
def echo(path, want_hex=None):
    """ECHO reply: same payload and seq as the request (printed by --echo), or WANT_HEX."""
    msgs = load(path)
    reply = one(msgs, "NLTEST_MSG_ECHO", "reply")
    got = reply.get("payload", {}).get("hex", "")
    if want_hex is None:
        sent = [m for m in msgs if m.get("meta", {}).get("direction") == "out"]
        expect(len(sent) == 1, "--echo printed %d sent messages" % len(sent))
        want_hex = sent[0].get("payload", {}).get("hex", "")
        expect(reply["seq"] == sent[0]["seq"], "seq %d, sent %d" % (reply["seq"], sent[0]["seq"]))
    expect(want_hex and got == want_hex, "payload %r came back, sent %r" % (got, want_hex))
    expect(reply["meta"]["from_pid"] == 0, "reply from port %r, not the kernel" % reply["meta"]["from_pid"])
    print("  %d payload bytes back, seq %d" % (len(got) // 2, reply["seq"]))
    return msgs, reply


@check
def echo_ack(path, want_hex):
    """ECHO reply with WANT_HEX, then an ACK (NLMSG_ERROR errno 0) for the same seq."""
    msgs, reply = echo(path, want_hex)
    ack = acked(msgs, "ACK")
    expect(msgs.index(ack) > msgs.index(reply), "the ACK came before the reply")
    expect(ack["seq"] == reply["seq"], "ACK seq %d, reply seq %d" % (ack["seq"], reply["seq"]))


@check
def hello(path):
    """Type 0 comes back with the text "Hello you!"."""
    reply = one(load(path), "NLTEST_MSG_LEGACY_ECHO", "reply")
    expect(reply["type"] == 0, "type %r" % reply["type"])
    got = reply.get("payload", {}).get("text")
    expect(got == "Hello you!", "payload text %r" % got)
    print("  %r back, seq %d" % (got, reply["seq"]))


def nltest_genl(path, type_name, what, want):
    """The one nlctl_test message of this type, its family and MSG checked; it and its attributes."""
    m = one(load(path), type_name, what)
    expect(m.get("family") == "nlctl_test", "family %r" % m.get("family"))
    a = attrs(m)
    expect(a.get("NLTEST_GENL_ATTR_MSG") == want, "attributes %r" % a)
    return m, a


@check
def genl_echo(path, want):
    """nlctl_test ECHO reply, decoded with the family's names."""
    reply, _ = nltest_genl(path, "NLTEST_GENL_CMD_ECHO", "reply", want)
    print("  family %s, %s, MSG %r" % (reply["family"], reply["type_name"], want))


@check
def genl_event(path, want):
    """An nlctl_test EVENT from the /sys trigger, on the family's multicast group."""
    ev, a = nltest_genl(path, "NLTEST_GENL_CMD_EVENT", "event", want)
    expect(isinstance(a.get("NLTEST_GENL_ATTR_EVENT_SEQ"), int) and a["NLTEST_GENL_ATTR_EVENT_SEQ"] >= 1,
           "EVENT_SEQ %r" % a.get("NLTEST_GENL_ATTR_EVENT_SEQ"))
    expect(ev["meta"].get("group", 0) > 0 and ev["meta"]["from_pid"] == 0, "meta %r" % ev["meta"])
    print("  %s on group %d: MSG %r, EVENT_SEQ %d" % (ev["type_name"], ev["meta"]["group"], want,
                                                    a["NLTEST_GENL_ATTR_EVENT_SEQ"]))


@check
def error(path, errno_name, extack):
    """An NLMSG_ERROR with ERRNO_NAME and the extended-ACK text EXTACK."""
    err = one(load(path), "NLMSG_ERROR", "error")["error"]
    expect(err.get("name") == errno_name, "errno %r (%r), expected %s" % (err.get("errno"), err.get("name"), errno_name))
    got = err.get("extack", {}).get("msg")
    expect(got == extack, "extack %r, expected %r" % (got, extack))


@check
def mcast(listen_out, send_base, data, group):
    """The listener got the MCAST another nlctl sent (which was ACKed)."""
    ack = acked(load(send_base + ".out"), "sender")
    group = int(group)
    got = incoming(load(listen_out), "NLTEST_MSG_MCAST")
    expect(len(got) == 1, "the listener has %d MCAST messages" % len(got))
    m = got[0]
    a = attrs(m)
    expect(a.get("NLTEST_ATTR_DATA") == data, "DATA %r" % a.get("NLTEST_ATTR_DATA"))
    expect(a.get("NLTEST_ATTR_GROUP") == group and m["meta"].get("group") == group,
           "GROUP %r, arrived on group %r" % (a.get("NLTEST_ATTR_GROUP"), m["meta"].get("group")))
    # The module names the sender: the port id the ACK was addressed to.
    expect(a.get("NLTEST_ATTR_PORTID") == ack["pid"], "PORTID %r, sender's port %r" % (a.get("NLTEST_ATTR_PORTID"), ack["pid"]))
    expect(m["seq"] == ack["seq"], "seq %d, request seq %d" % (m["seq"], ack["seq"]))
    print("  MCAST from port %d on group %d: DATA %r" % (ack["pid"], group, data))


@check
def stream(listen_out, send_base, strace_file=None):
    """STREAM of 10 x 100 ms at the listener; the send itself returned at once.

    "The send itself" is the sendto() of the request, timed by strace -T (the
    time spent inside the kernel, where the module's input callback runs):
    nlctl's own clock would add its start-up and JIT time under an emulated
    CPU, which says nothing about the module. nlctl's timestamps still show
    that the sending command had its ACK long before the stream was over.
    """
    sent = load(send_base + ".out")
    ack = acked(sent, "sender")
    msgs = incoming(load(listen_out), "NLTEST_MSG_STREAM")
    expect(len(msgs) == 10, "the listener has %d STREAM messages, expected 10" % len(msgs))
    ids, stamps = set(), []
    for i, m in enumerate(msgs):
        a = attrs(m)
        expect(a.get("NLTEST_ATTR_INDEX") == i and a.get("NLTEST_ATTR_COUNT") == 10,
               "message %d: INDEX %r COUNT %r" % (i, a.get("NLTEST_ATTR_INDEX"), a.get("NLTEST_ATTR_COUNT")))
        expect(a.get("NLTEST_ATTR_DATA") == "tick", "message %d: DATA %r" % (i, a.get("NLTEST_ATTR_DATA")))
        expect(m["seq"] == ack["seq"] and m["meta"].get("group") == 1, "message %d: seq %d group %r"
               % (i, m["seq"], m["meta"].get("group")))
        ids.add(a.get("NLTEST_ATTR_STREAM_ID"))
        stamps.append(a["NLTEST_ATTR_TIMESTAMP_NS"])
    expect(len(ids) == 1, "several stream ids: %r" % ids)
    gaps = [(b - a) / 1e6 for a, b in zip(stamps, stamps[1:])]
    kspan = (stamps[-1] - stamps[0]) / 1e6
    expect(850 <= kspan <= 2500, "9 gaps of 100 ms took %.0f ms on the kernel's clock: %r"
           % (kspan, [round(g) for g in gaps]))
    arrived = [when(m) for m in msgs]
    span = arrived[-1] - arrived[0]
    expect(0.8 <= span <= 5.0, "the listener saw the 10 messages over %.2f s" % span)
    ack_lead = arrived[-1] - when(ack)
    expect(ack_lead >= 0.5, "the sender's ACK came only %.0f ms before the last stream message" % (ack_lead * 1000))
    line = "  10 messages over %.2f s at the listener, kernel gaps %s ms; ACK %.0f ms before the last one" % (
        span, " ".join(str(round(g)) for g in gaps), ack_lead * 1000)
    if strace_file:
        took = None
        for l in text(strace_file).splitlines():
            # PID sendto(FD, [{nlmsg_len=.., nlmsg_type=0x12 ...}, ...], ...) = N <SECONDS>
            if "sendto(" in l and "nlmsg_type=0x12" in l:
                m = re.search(r"= \d+ <([0-9.]+)>\s*$", l)
                expect(m, "sendto of the STREAM request failed: %s" % l)
                took = float(m.group(1)) * 1000
        expect(took is not None, "no sendto of the STREAM request in the strace log:\n" + text(strace_file))
        expect(took < 50, "sendto of the STREAM request took %.1f ms" % took)
        line += "; sendto took %.1f ms" % took
    print(line)


@check
def sockets(path, *want):
    """`nlctl -j sockets --proto test` lists each PORT:G1,G2 given, owned by the process PID."""
    rows = json.loads(text(path))
    for w in want:
        port, groups, pid = w.split(":")
        port = int(port)
        groups = [int(g) for g in groups.split(",")]
        row = [r for r in rows if r.get("portid") == port]
        expect(len(row) == 1, "port %d: %d rows in %r" % (port, len(row), rows))
        r = row[0]
        expect(r.get("protocol") == "test" and r.get("protocol_number") == 25, "row %r" % r)
        expect(r.get("groups") == groups, "port %d: groups %r, expected %r" % (port, r.get("groups"), groups))
        # PID is the listener's launcher (timeout): the socket belongs to it or its child.
        owners = [int(p) for p in re.findall(r"/(\d+)", r.get("process", ""))]
        expect(any(o == int(pid) or parent(o) == int(pid) for o in owners),
               "port %d: process %r, expected pid %s or a child of it" % (port, r.get("process"), pid))
        print("  port %d groups %s process %s" % (port, ",".join(map(str, groups)), r["process"]))
    expect(any(r.get("portid") == 0 for r in rows), "the module's kernel socket (port 0) is missing")


def parent(pid):
    try:
        # /proc/PID/stat: "PID (comm) STATE PPID ..."; comm may hold spaces.
        return int(text("/proc/%d/stat" % pid).rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def flood_counts(base):
    """(sent, received) of one `send --repeat N --wait N` run; fails unless nothing was lost."""
    err = text(base + ".err")
    m = re.search(r"(\d+) message\(s\) received, (\d+) sent, (\d+) overrun", err)
    expect(m, "%s: no summary on stderr: %r" % (base, err))
    rcvd, sent, overruns = map(int, m.groups())
    msgs = incoming(load(base + ".out"), "NLTEST_MSG_ECHO")
    seqs = {x["seq"] for x in msgs}
    expect(overruns == 0 and rcvd == sent == len(msgs) == len(seqs),
           "%s: %d sent, %d received (%d printed, %d distinct seqs), %d overruns" % (base, sent, rcvd, len(msgs), len(seqs), overruns))
    return sent, rcvd


@check
def flood(*bases):
    """Each `send --repeat N --wait N` got all N replies, with N distinct seqs."""
    for b in bases:
        sent, rcvd = flood_counts(b)
        print("  %s: %d sent, %d received" % (b.rsplit("/", 1)[-1], sent, rcvd))


@check
def stats(path, *bases):
    """STATS after a RESET equals what the senders counted (plus the STATS requests themselves)."""
    sent = rcvd = 0
    for b in bases:
        s, r = flood_counts(b)
        sent += s
        rcvd += r
    st = one(load(path), "NLTEST_MSG_STATS", "STATS")
    a = {k.replace("NLTEST_STATS_", "").lower(): v for k, v in attrs(st).items() if k != "NLTEST_STATS_PAD"}
    # RX also counts this STATS request; TX also the reply to the RESET request.
    want = {"rx": sent + 1, "tx": rcvd + 1, "mcast": 0, "errors": 0, "dropped": 0, "no_listeners": 0, "streams": 0}
    print("  senders: %d sent, %d received; module: %r" % (sent, rcvd, a))
    expect(a == want, "module counters %r, expected %r" % (a, want))


@check
def stats_idle(path):
    """A STATS reply with no stream running (the RESET request)."""
    a = attrs(one(load(path), "NLTEST_MSG_STATS", "STATS"))
    expect(a.get("NLTEST_STATS_STREAMS") == 0, "streams running: %r" % a)
    print("  before the reset: %r" % {k.replace("NLTEST_STATS_", "").lower(): v for k, v in a.items()})


def main(argv):
    if len(argv) < 2 or argv[1] not in CHECKS:
        print(__doc__.strip())
        for name, fn in CHECKS.items():
            print("  %-12s %s" % (name, fn.__doc__.strip().splitlines()[0]))
        return 2
    try:
        CHECKS[argv[1]](*argv[2:])
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    except (OSError, KeyError, TypeError, ValueError) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
