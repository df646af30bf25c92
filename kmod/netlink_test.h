/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netlink_test.h - user-space API of the netlink_test kernel module.
 *
 * The module speaks two protocols:
 *   1. a raw netlink protocol, NETLINK_TEST (25), with NLTEST_GROUPS_DEFAULT
 *      multicast groups (module parameter "groups", 1..32);
 *   2. a generic netlink family "nlctl_test", version 1, with one multicast
 *      group "events".
 * Both live in the initial network namespace only.
 *
 * Conventions kept so that tools can parse this file with a regex:
 *   - every enum member is on its own line as "NAME = VALUE," with an
 *     explicit decimal or 0x value;
 *   - limits and names are "#define NAME VALUE" lines;
 *   - *_MAX values are #defines, never enum members.
 *
 * ---------------------------------------------------------------------------
 * Raw protocol NETLINK_TEST: wire format
 * ---------------------------------------------------------------------------
 * There is no fixed family header: attributes (struct nlattr TLVs, 4-byte
 * aligned, host byte order) follow the netlink header directly.
 *
 *   0               1               2               3
 *   +---------------+---------------+---------------+---------------+
 *   |                     nlmsg_len (u32, whole message)            |
 *   +-------------------------------+-------------------------------+
 *   |  nlmsg_type (NLTEST_MSG_*)    |  nlmsg_flags (NLM_F_REQUEST..)|
 *   +-------------------------------+-------------------------------+
 *   |                     nlmsg_seq (u32)                           |
 *   +---------------------------------------------------------------+
 *   |                     nlmsg_pid (u32)                           |
 *   +===============================+===============================+
 *   |  nla_len (u16, hdr+value)     |  nla_type (NLTEST_ATTR_*)     |
 *   +-------------------------------+-------------------------------+
 *   |  value ... padded to 4 bytes                                  |
 *   +---------------------------------------------------------------+
 *   |  next attribute ...                                           |
 *
 * Requests must set NLM_F_REQUEST, as for every kernel netlink protocol
 * (messages without it are ignored, acknowledged if NLM_F_ACK is set).
 * Type 0 (NLTEST_MSG_LEGACY_ECHO) is the one exception: see below.
 * NLM_F_ACK is honoured: an NLMSG_ERROR with error 0 follows the reply.
 *
 * Errors come back as NLMSG_ERROR with a negative errno, and when the socket
 * set NETLINK_EXT_ACK (11), an extended-ACK text (NLMSGERR_ATTR_MSG):
 *   -EINVAL  datagram shorter than a netlink header, nlmsg_len smaller than
 *            the header or larger than the datagram (the whole datagram is
 *            rejected; the echoed header then carries nlmsg_len = 16),
 *            unknown message type, attribute that fails validation, or a
 *            value out of range;
 *   -EBUSY   too many streams running (module parameter "max_streams");
 *   -ENOMEM  out of memory.
 *
 * Message types (requests -> what comes back):
 *
 *   NLTEST_MSG_LEGACY_ECHO (0)   any payload, NLM_F_REQUEST optional
 *        -> one message of type 0 with the same payload and seq. This is
 *           what the classic "Hello you!" example programs send, one per
 *           datagram: type-0 messages are answered at the start of a
 *           datagram only (later ones are ignored like control messages).
 *   NLTEST_MSG_ECHO              any payload (opaque, not parsed)
 *        -> one NLTEST_MSG_ECHO with the same payload and seq.
 *   NLTEST_MSG_MCAST             [GROUPS] [DATA]
 *        -> to each group in GROUPS (default: group 1), one NLTEST_MSG_MCAST
 *           carrying GROUP, PORTID (of the sender) and DATA (if given),
 *           with the request's seq. Nothing is sent back but the ACK.
 *   NLTEST_MSG_STREAM            [COUNT] [INTERVAL_MS] [PORTID | GROUP] [DATA]
 *        -> the request returns at once; then COUNT (default 10) messages
 *           of type NLTEST_MSG_STREAM, one every INTERVAL_MS (default: module
 *           parameter "stream_interval_ms"; 0 = as fast as possible), the
 *           first one INTERVAL_MS after the request, to PORTID (default: the
 *           requester) or multicast to GROUP. Each carries STREAM_ID, INDEX
 *           (0-based), COUNT, TIMESTAMP_NS and DATA (if given), with the
 *           request's seq. A unicast stream stops early when its receiver
 *           is gone (ECONNREFUSED).
 *   NLTEST_MSG_STATS             [RESET]
 *        -> one NLTEST_MSG_STATS with NLTEST_STATS_* attributes (values
 *           read before RESET zeroes them).
 */
#ifndef _UAPI_LINUX_NETLINK_TEST_H
#define _UAPI_LINUX_NETLINK_TEST_H

#include <linux/types.h>
#include <linux/netlink.h>

#ifndef NETLINK_TEST
#define NETLINK_TEST 25
#endif

#define NLTEST_GROUPS_DEFAULT 4
#define NLTEST_GROUPS_MAX 32
#define NLTEST_DATA_MAX 4096
#define NLTEST_STREAM_COUNT_DEFAULT 10
#define NLTEST_STREAM_COUNT_MAX 100000
#define NLTEST_STREAM_INTERVAL_MAX 60000

/* nlmsg_type values of NETLINK_TEST. */
enum nltest_msg_type {
	NLTEST_MSG_LEGACY_ECHO = 0x00,
	NLTEST_MSG_ECHO = 0x10,
	NLTEST_MSG_MCAST = 0x11,
	NLTEST_MSG_STREAM = 0x12,
	NLTEST_MSG_STATS = 0x13,
};

/* Attributes of MCAST and STREAM messages and of the STATS request. */
enum nltest_attr {
	NLTEST_ATTR_UNSPEC = 0,
	NLTEST_ATTR_DATA = 1,		/* binary, up to NLTEST_DATA_MAX bytes */
	NLTEST_ATTR_GROUPS = 2,		/* u32 bitmask: bit 0 = group 1 */
	NLTEST_ATTR_GROUP = 3,		/* u32 group number, 1..groups */
	NLTEST_ATTR_PORTID = 4,		/* u32 netlink port id */
	NLTEST_ATTR_COUNT = 5,		/* u32 messages in a stream, 1..NLTEST_STREAM_COUNT_MAX */
	NLTEST_ATTR_INTERVAL_MS = 6,	/* u32 ms between stream messages, 0..NLTEST_STREAM_INTERVAL_MAX */
	NLTEST_ATTR_INDEX = 7,		/* u32 0-based index of a stream message */
	NLTEST_ATTR_STREAM_ID = 8,	/* u32 id of a stream, from 1 */
	NLTEST_ATTR_TIMESTAMP_NS = 9,	/* u64 kernel monotonic clock at send time */
	NLTEST_ATTR_RESET = 10,		/* flag: zero the counters after reading */
	NLTEST_ATTR_PAD = 11,		/* padding before 64-bit values */
};
#define NLTEST_ATTR_MAX 11

/*
 * Counters in a NLTEST_MSG_STATS reply (and nested in
 * NLTEST_GENL_ATTR_STATS). Both protocols share them.
 *   RX            messages received (every message of a datagram; a
 *                 datagram rejected for its framing counts once)
 *   TX            unicast messages delivered (replies, stream messages);
 *                 ACK and error messages are not counted
 *   MCAST         multicast messages delivered (one per group)
 *   ERRORS        requests answered with an error
 *   DROPPED       messages that could not be delivered (receive buffer
 *                 full -EAGAIN/-ENOBUFS, receiver gone -ECONNREFUSED, ...)
 *   NO_LISTENERS  multicast messages not sent: nobody in the group
 *   STREAMS       streams running now (u32)
 */
enum nltest_stats_attr {
	NLTEST_STATS_UNSPEC = 0,
	NLTEST_STATS_RX = 1,		/* u64 */
	NLTEST_STATS_TX = 2,		/* u64 */
	NLTEST_STATS_MCAST = 3,		/* u64 */
	NLTEST_STATS_ERRORS = 4,	/* u64 */
	NLTEST_STATS_DROPPED = 5,	/* u64 */
	NLTEST_STATS_NO_LISTENERS = 6,	/* u64 */
	NLTEST_STATS_STREAMS = 7,	/* u32 */
	NLTEST_STATS_PAD = 8,		/* padding before 64-bit values */
};
#define NLTEST_STATS_MAX 8

/*
 * ---------------------------------------------------------------------------
 * Generic netlink family "nlctl_test"
 * ---------------------------------------------------------------------------
 *   struct nlmsghdr (type = family id, resolved with nlctrl CTRL_CMD_GETFAMILY)
 *   struct genlmsghdr { u8 cmd = NLTEST_GENL_CMD_*; u8 version = 1; u16 0 }
 *   attributes NLTEST_GENL_ATTR_*
 *
 *   NLTEST_GENL_CMD_ECHO   [MSG]   -> ECHO with MSG (the same text, or
 *                                     NLTEST_GENL_HELLO when absent)
 *   NLTEST_GENL_CMD_STATS  [RESET] -> STATS with STATS (nest of NLTEST_STATS_*)
 *   NLTEST_GENL_CMD_EVENT          multicast to group "events" whenever text
 *                                  is written to
 *                                  /sys/module/netlink_test/parameters/trigger:
 *                                  MSG (the text, one trailing newline
 *                                  removed) and EVENT_SEQ (from 1)
 */
#define NLTEST_GENL_NAME "nlctl_test"
#define NLTEST_GENL_VERSION 1
#define NLTEST_GENL_MCGRP_EVENTS_NAME "events"
#define NLTEST_GENL_HELLO "hello from nlctl_test"
#define NLTEST_GENL_MSG_MAX 255

enum nltest_genl_cmd {
	NLTEST_GENL_CMD_UNSPEC = 0,
	NLTEST_GENL_CMD_ECHO = 1,
	NLTEST_GENL_CMD_STATS = 2,
	NLTEST_GENL_CMD_EVENT = 3,
};
#define NLTEST_GENL_CMD_MAX 3

enum nltest_genl_attr {
	NLTEST_GENL_ATTR_UNSPEC = 0,
	NLTEST_GENL_ATTR_MSG = 1,	/* string, up to NLTEST_GENL_MSG_MAX bytes */
	NLTEST_GENL_ATTR_STATS = 2,	/* nest of NLTEST_STATS_* */
	NLTEST_GENL_ATTR_EVENT_SEQ = 3,	/* u32 */
	NLTEST_GENL_ATTR_RESET = 4,	/* flag */
};
#define NLTEST_GENL_ATTR_MAX 4

/* Index of the group in the family's list (its id comes from nlctrl). */
enum nltest_genl_mcgrp {
	NLTEST_GENL_MCGRP_EVENTS = 0,
};

#endif /* _UAPI_LINUX_NETLINK_TEST_H */
