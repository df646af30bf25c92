// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_test - a kernel end for exercising netlink tools.
 *
 * Raw protocol NETLINK_TEST (25) and generic netlink family "nlctl_test";
 * the wire protocol is documented in netlink_test.h. The module also
 * registers a devlink instance (nltest_devlink.c).
 *
 * Rules kept throughout:
 *   - the input callback never sleeps on purpose and returns at once:
 *     kernel-initiated traffic (streams) runs from delayed work;
 *   - lengths come from netlink_rcv_skb()/nlmsg_parse(), after one framing
 *     check of the datagram (netlink_rcv_skb() drops bad framing silently,
 *     and a tool under test needs to see that as an error);
 *   - every open NETLINK_TEST socket holds the module (the kernel socket
 *     is created with THIS_MODULE as owner), so rmmod refuses while one is
 *     open and unloads with streams running once the last one is closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/version.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/workqueue.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/atomic.h>
#include <linux/string.h>
#include <linux/skbuff.h>
#include <linux/netlink.h>
#include <net/sock.h>
#include <net/netlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "netlink_test.h"
#include "nltest_devlink.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 10, 0)
#error "netlink_test needs Linux 4.10 or later (genl_family with ops)"
#endif

/* ---- compatibility ------------------------------------------------------ */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 12, 0)
#define NLTEST_HAVE_EXTACK 1
#define nltest_ack(skb, nlh, err, extack) netlink_ack(skb, nlh, err, extack)
#define nltest_parse(nlh, tb, max, pol, extack) \
	nlmsg_parse(nlh, 0, tb, max, pol, extack)
#else
/* Before 4.12 there is no extended ACK: messages are simply not sent. */
struct netlink_ext_ack;
#define NL_SET_ERR_MSG(extack, msg) do { (void)(extack); } while (0)
#define nltest_ack(skb, nlh, err, extack) netlink_ack(skb, nlh, err)
#define nltest_parse(nlh, tb, max, pol, extack) \
	nlmsg_parse(nlh, 0, tb, max, pol)
#endif

#ifndef NL_SET_ERR_MSG_MOD
#define NL_SET_ERR_MSG_MOD(extack, msg) NL_SET_ERR_MSG(extack, KBUILD_MODNAME ": " msg)
#endif

/* ---- module parameters -------------------------------------------------- */

static unsigned int groups = NLTEST_GROUPS_DEFAULT;
module_param(groups, uint, 0444);
MODULE_PARM_DESC(groups, "number of NETLINK_TEST multicast groups, 1..32 (default 4)");

static unsigned int stream_interval_ms = 100;
module_param(stream_interval_ms, uint, 0644);
MODULE_PARM_DESC(stream_interval_ms, "default interval between STREAM messages in ms (default 100)");

static unsigned int max_streams = 64;
module_param(max_streams, uint, 0644);
MODULE_PARM_DESC(max_streams, "streams that may run at once (default 64)");

static int verbose;
module_param(verbose, int, 0644);
MODULE_PARM_DESC(verbose, "log each message at >= 1, its bytes at >= 2 (default 0)");

static int nltest_trigger_set(const char *val, const struct kernel_param *kp);

static const struct kernel_param_ops nltest_trigger_ops = {
	.set = nltest_trigger_set,
	/* no .get: the file is write-only */
};
module_param_cb(trigger, &nltest_trigger_ops, NULL, 0200);
MODULE_PARM_DESC(trigger, "write text here to multicast a genl event to nlctl_test:events");

/* ---- state -------------------------------------------------------------- */

static struct sock *nltest_sk;
static struct workqueue_struct *nltest_wq;
/* The trigger may be written before init finished or while exit runs. */
static bool nltest_genl_ready;

static struct {
	atomic64_t rx, tx, mcast, errors, dropped, no_listeners;
} nltest_stats;

struct nltest_stream {
	struct list_head node;		/* empty once exit owns the stream */
	struct delayed_work work;
	u32 id;
	u32 portid;			/* unicast target, when group == 0 */
	u32 group;			/* multicast target */
	u32 seq;
	u32 count;
	u32 index;
	u32 interval_ms;
	unsigned long next;		/* jiffies of the next message */
	u32 data_len;
	u8 data[];
};

static DEFINE_SPINLOCK(nltest_streams_lock);
static LIST_HEAD(nltest_streams);
static unsigned int nltest_nstreams;
static u32 nltest_stream_next_id;
static bool nltest_stopping;

static atomic_t nltest_event_seq = ATOMIC_INIT(0);

static const struct nla_policy nltest_policy[NLTEST_ATTR_MAX + 1] = {
	[NLTEST_ATTR_DATA]		= { .type = NLA_BINARY, .len = NLTEST_DATA_MAX },
	[NLTEST_ATTR_GROUPS]		= { .type = NLA_U32 },
	[NLTEST_ATTR_GROUP]		= { .type = NLA_U32 },
	[NLTEST_ATTR_PORTID]		= { .type = NLA_U32 },
	[NLTEST_ATTR_COUNT]		= { .type = NLA_U32 },
	[NLTEST_ATTR_INTERVAL_MS]	= { .type = NLA_U32 },
	[NLTEST_ATTR_INDEX]		= { .type = NLA_U32 },
	[NLTEST_ATTR_STREAM_ID]		= { .type = NLA_U32 },
	[NLTEST_ATTR_TIMESTAMP_NS]	= { .type = NLA_U64 },
	[NLTEST_ATTR_RESET]		= { .type = NLA_FLAG },
};

/* ---- helpers ------------------------------------------------------------ */

static void nltest_log(const char *what, const struct nlmsghdr *nlh, u32 portid)
{
	if (verbose < 1)
		return;
	pr_info("%s type=0x%x len=%u flags=0x%x seq=%u pid=%u portid=%u\n",
		what, nlh->nlmsg_type, nlh->nlmsg_len, nlh->nlmsg_flags,
		nlh->nlmsg_seq, nlh->nlmsg_pid, portid);
	if (verbose >= 2)
		print_hex_dump(KERN_INFO, KBUILD_MODNAME ": ", DUMP_PREFIX_OFFSET,
			       16, 1, nlh, min_t(u32, nlh->nlmsg_len, 256), false);
}

/* Unicast that accounts for the outcome; a failed delivery is not a failed request. */
static void nltest_unicast(struct sk_buff *skb, u32 portid)
{
	int err = nlmsg_unicast(nltest_sk, skb, portid);

	if (err) {
		atomic64_inc(&nltest_stats.dropped);
		if (verbose >= 1)
			pr_info("unicast to portid %u failed: %d\n", portid, err);
	} else {
		atomic64_inc(&nltest_stats.tx);
	}
}

/* Counts a multicast's outcome: delivered, nobody listening (-ESRCH), or dropped. */
static void nltest_count_multicast(int err)
{
	if (!err)
		atomic64_inc(&nltest_stats.mcast);
	else if (err == -ESRCH)
		atomic64_inc(&nltest_stats.no_listeners);
	else
		atomic64_inc(&nltest_stats.dropped);
}

/* Returns 0 when delivered, or the error (-ESRCH: nobody listens). */
static int nltest_multicast(struct sk_buff *skb, u32 group)
{
	int err = nlmsg_multicast(nltest_sk, skb, 0, group, GFP_KERNEL);

	nltest_count_multicast(err);
	return err;
}

/* Reply with a copy of the request's payload, same type and seq. */
static int nltest_echo(struct sk_buff *in, const struct nlmsghdr *req)
{
	u32 portid = NETLINK_CB(in).portid;
	int len = nlmsg_len(req);
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(len, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	nlh = nlmsg_put(skb, portid, req->nlmsg_seq, req->nlmsg_type, len, 0);
	if (!nlh) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	memcpy(nlmsg_data(nlh), nlmsg_data(req), len);
	/* No nlmsg_end(): it would count the alignment padding into nlmsg_len. */
	nltest_unicast(skb, portid);
	return 0;
}

/* ---- raw protocol: request handlers ------------------------------------ */

static int nltest_mcast(struct sk_buff *in, const struct nlmsghdr *req,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NLTEST_ATTR_MAX + 1];
	u32 mask = 1, all = groups >= 32 ? ~0U : (1U << groups) - 1;
	u32 portid = NETLINK_CB(in).portid;
	const void *data = NULL;
	int data_len = 0, err;
	unsigned int g;

	err = nltest_parse(req, tb, NLTEST_ATTR_MAX, nltest_policy, extack);
	if (err)
		return err;
	if (tb[NLTEST_ATTR_GROUPS])
		mask = nla_get_u32(tb[NLTEST_ATTR_GROUPS]);
	if (!mask || (mask & ~all)) {
		NL_SET_ERR_MSG_MOD(extack, "GROUPS mask empty or outside the module's groups");
		return -EINVAL;
	}
	if (tb[NLTEST_ATTR_DATA]) {
		data = nla_data(tb[NLTEST_ATTR_DATA]);
		data_len = nla_len(tb[NLTEST_ATTR_DATA]);
	}

	for (g = 1; g <= groups; g++) {
		struct nlmsghdr *nlh;
		struct sk_buff *skb;

		if (!(mask & (1U << (g - 1))))
			continue;
		/* Skip building a message nobody would receive. */
		if (!netlink_has_listeners(nltest_sk, g)) {
			atomic64_inc(&nltest_stats.no_listeners);
			continue;
		}
		skb = nlmsg_new(nla_total_size(4) * 2 + nla_total_size(data_len), GFP_KERNEL);
		if (!skb)
			return -ENOMEM;
		nlh = nlmsg_put(skb, portid, req->nlmsg_seq, NLTEST_MSG_MCAST, 0, 0);
		if (!nlh ||
		    nla_put_u32(skb, NLTEST_ATTR_GROUP, g) ||
		    nla_put_u32(skb, NLTEST_ATTR_PORTID, portid) ||
		    (data && nla_put(skb, NLTEST_ATTR_DATA, data_len, data))) {
			kfree_skb(skb);
			return -EMSGSIZE;
		}
		nlmsg_end(skb, nlh);
		nltest_multicast(skb, g);
	}
	return 0;
}

static int nltest_stats_fill(struct sk_buff *skb, bool reset)
{
	struct {
		int attr;
		atomic64_t *v;
	} c[] = {
		{ NLTEST_STATS_RX, &nltest_stats.rx },
		{ NLTEST_STATS_TX, &nltest_stats.tx },
		{ NLTEST_STATS_MCAST, &nltest_stats.mcast },
		{ NLTEST_STATS_ERRORS, &nltest_stats.errors },
		{ NLTEST_STATS_DROPPED, &nltest_stats.dropped },
		{ NLTEST_STATS_NO_LISTENERS, &nltest_stats.no_listeners },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u64 v = reset ? atomic64_xchg(c[i].v, 0) : atomic64_read(c[i].v);

		if (nla_put_u64_64bit(skb, c[i].attr, v, NLTEST_STATS_PAD))
			return -EMSGSIZE;
	}
	return nla_put_u32(skb, NLTEST_STATS_STREAMS, READ_ONCE(nltest_nstreams));
}

#define NLTEST_STATS_SIZE (6 * nla_total_size_64bit(8) + nla_total_size(4))

static int nltest_stats_req(struct sk_buff *in, const struct nlmsghdr *req,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NLTEST_ATTR_MAX + 1];
	u32 portid = NETLINK_CB(in).portid;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int err;

	err = nltest_parse(req, tb, NLTEST_ATTR_MAX, nltest_policy, extack);
	if (err)
		return err;
	skb = nlmsg_new(NLTEST_STATS_SIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	nlh = nlmsg_put(skb, portid, req->nlmsg_seq, NLTEST_MSG_STATS, 0, 0);
	if (!nlh || nltest_stats_fill(skb, !!tb[NLTEST_ATTR_RESET])) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	nltest_unicast(skb, portid);
	return 0;
}

/* ---- streams ------------------------------------------------------------ */

/* Sends message s->index; returns the delivery error, if any. */
static int nltest_stream_send(struct nltest_stream *s)
{
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int err;

	if (s->group && !netlink_has_listeners(nltest_sk, s->group)) {
		atomic64_inc(&nltest_stats.no_listeners);
		return -ESRCH;
	}
	skb = nlmsg_new(3 * nla_total_size(4) + nla_total_size_64bit(8) +
			nla_total_size(s->data_len), GFP_KERNEL);
	if (!skb) {
		atomic64_inc(&nltest_stats.dropped);
		return -ENOMEM;
	}
	nlh = nlmsg_put(skb, s->group ? 0 : s->portid, s->seq, NLTEST_MSG_STREAM, 0, 0);
	if (!nlh ||
	    nla_put_u32(skb, NLTEST_ATTR_STREAM_ID, s->id) ||
	    nla_put_u32(skb, NLTEST_ATTR_INDEX, s->index) ||
	    nla_put_u32(skb, NLTEST_ATTR_COUNT, s->count) ||
	    nla_put_u64_64bit(skb, NLTEST_ATTR_TIMESTAMP_NS, ktime_get_ns(), NLTEST_ATTR_PAD) ||
	    (s->data_len && nla_put(skb, NLTEST_ATTR_DATA, s->data_len, s->data))) {
		kfree_skb(skb);
		atomic64_inc(&nltest_stats.dropped);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);

	if (s->group)
		return nltest_multicast(skb, s->group);
	err = nlmsg_unicast(nltest_sk, skb, s->portid);
	if (err)
		atomic64_inc(&nltest_stats.dropped);
	else
		atomic64_inc(&nltest_stats.tx);
	return err;
}

/* Messages sent per run in burst mode (interval 0), to give others the CPU. */
#define NLTEST_BURST 64

static void nltest_stream_work(struct work_struct *work)
{
	struct nltest_stream *s = container_of(to_delayed_work(work),
					       struct nltest_stream, work);
	unsigned int burst = s->interval_ms ? 1 : NLTEST_BURST;
	unsigned long delay = 0;
	bool done = false;

	while (burst-- && !done) {
		int err = nltest_stream_send(s);

		s->index++;
		/* The receiver's socket is gone: nobody will ever read the rest. */
		done = s->index >= s->count || (!s->group && err == -ECONNREFUSED);
	}

	if (!done && s->interval_ms) {
		/* Schedule against a fixed timeline so the interval does not drift. */
		s->next += msecs_to_jiffies(s->interval_ms);
		if (time_after(s->next, jiffies))
			delay = s->next - jiffies;
	}

	spin_lock(&nltest_streams_lock);
	if (list_empty(&s->node)) {
		/* Module exit took the stream; it cancels and frees it. */
		spin_unlock(&nltest_streams_lock);
		return;
	}
	if (done) {
		list_del_init(&s->node);
		nltest_nstreams--;
		spin_unlock(&nltest_streams_lock);
		kfree(s);
		return;
	}
	queue_delayed_work(nltest_wq, &s->work, delay);
	spin_unlock(&nltest_streams_lock);
}

static int nltest_stream_req(struct sk_buff *in, const struct nlmsghdr *req,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NLTEST_ATTR_MAX + 1];
	u32 count = NLTEST_STREAM_COUNT_DEFAULT;
	u32 interval = READ_ONCE(stream_interval_ms);
	struct nltest_stream *s;
	u32 data_len = 0;
	int err;

	err = nltest_parse(req, tb, NLTEST_ATTR_MAX, nltest_policy, extack);
	if (err)
		return err;
	if (tb[NLTEST_ATTR_COUNT])
		count = nla_get_u32(tb[NLTEST_ATTR_COUNT]);
	if (count < 1 || count > NLTEST_STREAM_COUNT_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "COUNT out of range 1..100000");
		return -EINVAL;
	}
	if (tb[NLTEST_ATTR_INTERVAL_MS])
		interval = nla_get_u32(tb[NLTEST_ATTR_INTERVAL_MS]);
	if (interval > NLTEST_STREAM_INTERVAL_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "INTERVAL_MS out of range 0..60000");
		return -EINVAL;
	}
	if (tb[NLTEST_ATTR_PORTID] && tb[NLTEST_ATTR_GROUP]) {
		NL_SET_ERR_MSG_MOD(extack, "PORTID and GROUP are exclusive");
		return -EINVAL;
	}
	if (tb[NLTEST_ATTR_GROUP]) {
		u32 g = nla_get_u32(tb[NLTEST_ATTR_GROUP]);

		if (g < 1 || g > groups) {
			NL_SET_ERR_MSG_MOD(extack, "GROUP outside the module's groups");
			return -EINVAL;
		}
	}
	if (tb[NLTEST_ATTR_DATA])
		data_len = nla_len(tb[NLTEST_ATTR_DATA]);

	s = kzalloc(sizeof(*s) + data_len, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	INIT_LIST_HEAD(&s->node);
	INIT_DELAYED_WORK(&s->work, nltest_stream_work);
	s->portid = tb[NLTEST_ATTR_PORTID] ? nla_get_u32(tb[NLTEST_ATTR_PORTID])
					   : NETLINK_CB(in).portid;
	s->group = tb[NLTEST_ATTR_GROUP] ? nla_get_u32(tb[NLTEST_ATTR_GROUP]) : 0;
	s->seq = req->nlmsg_seq;
	s->count = count;
	s->interval_ms = interval;
	s->data_len = data_len;
	if (data_len)
		memcpy(s->data, nla_data(tb[NLTEST_ATTR_DATA]), data_len);
	s->next = jiffies + msecs_to_jiffies(interval);

	/* Queue under the lock so that module exit sees every stream. */
	spin_lock(&nltest_streams_lock);
	if (nltest_stopping) {
		err = -ESHUTDOWN;
	} else if (nltest_nstreams >= READ_ONCE(max_streams)) {
		NL_SET_ERR_MSG_MOD(extack, "too many streams running");
		err = -EBUSY;
	} else {
		s->id = ++nltest_stream_next_id;
		list_add_tail(&s->node, &nltest_streams);
		nltest_nstreams++;
		queue_delayed_work(nltest_wq, &s->work, msecs_to_jiffies(interval));
	}
	spin_unlock(&nltest_streams_lock);
	if (err) {
		kfree(s);
		return err;
	}
	if (verbose >= 1)
		pr_info("stream %u: %u messages every %u ms to %s %u\n", s->id, count,
			interval, s->group ? "group" : "portid",
			s->group ? s->group : s->portid);
	return 0;
}

static void nltest_streams_stop(void)
{
	struct nltest_stream *s;

	for (;;) {
		spin_lock(&nltest_streams_lock);
		nltest_stopping = true;
		s = list_first_entry_or_null(&nltest_streams, struct nltest_stream, node);
		if (s) {
			list_del_init(&s->node);
			nltest_nstreams--;
		}
		spin_unlock(&nltest_streams_lock);
		if (!s)
			break;
		/* Waits for a running work item; a removed stream never requeues. */
		cancel_delayed_work_sync(&s->work);
		kfree(s);
	}
}

/* ---- raw protocol: input ------------------------------------------------ */

static int nltest_rcv_msg(struct sk_buff *skb, struct nlmsghdr *nlh,
			  struct netlink_ext_ack *extack)
{
	int err;

	nltest_log("rx", nlh, NETLINK_CB(skb).portid);
	switch (nlh->nlmsg_type) {
	case NLTEST_MSG_ECHO:
		err = nltest_echo(skb, nlh);
		break;
	case NLTEST_MSG_MCAST:
		err = nltest_mcast(skb, nlh, extack);
		break;
	case NLTEST_MSG_STREAM:
		err = nltest_stream_req(skb, nlh, extack);
		break;
	case NLTEST_MSG_STATS:
		err = nltest_stats_req(skb, nlh, extack);
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "unknown message type");
		err = -EINVAL;
		break;
	}
	if (err)
		atomic64_inc(&nltest_stats.errors);
	return err;
}

#ifndef NLTEST_HAVE_EXTACK
static int nltest_rcv_msg_noext(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	return nltest_rcv_msg(skb, nlh, NULL);
}
#endif

/*
 * Checks the framing of every message in the datagram and counts them.
 * Returns the offset of the first bad message, or -1 when all are sound.
 */
static int nltest_check_framing(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	unsigned int off = 0, n = 0;
	int bad = -1;

	if (skb->len < NLMSG_HDRLEN) {
		NL_SET_ERR_MSG_MOD(extack, "datagram shorter than a netlink header");
		bad = 0;
	}
	while (bad < 0 && skb->len - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (void *)skb->data + off;

		n++;
		if (nlh->nlmsg_len < NLMSG_HDRLEN) {
			NL_SET_ERR_MSG_MOD(extack, "nlmsg_len smaller than the netlink header");
			bad = off;
		} else if (nlh->nlmsg_len > skb->len - off) {
			NL_SET_ERR_MSG_MOD(extack, "nlmsg_len larger than the datagram");
			bad = off;
		} else {
			off += min_t(unsigned int, NLMSG_ALIGN(nlh->nlmsg_len), skb->len - off);
		}
	}
	/* Fewer than 16 trailing bytes are padding, as for netlink_rcv_skb(). */
	atomic64_add(n ? n : 1, &nltest_stats.rx);
	return bad;
}

/* Answers a datagram with bad framing with -EINVAL (and the extack text). */
static void nltest_reject_framing(struct sk_buff *skb, unsigned int off,
				  struct netlink_ext_ack *extack)
{
	struct nlmsghdr hdr;

	/*
	 * netlink_ack() copies the request header and nlmsg_len bytes of it
	 * into the error: hand it a copy whose length covers only the header.
	 */
	memset(&hdr, 0, sizeof(hdr));
	memcpy(&hdr, skb->data + off, min_t(unsigned int, sizeof(hdr), skb->len - off));
	hdr.nlmsg_len = NLMSG_HDRLEN;
	atomic64_inc(&nltest_stats.errors);
	if (verbose >= 1)
		pr_info("rejected datagram of %u bytes from portid %u (bad message at offset %u)\n",
			skb->len, NETLINK_CB(skb).portid, off);
	nltest_ack(skb, &hdr, -EINVAL, extack);
}

/*
 * Type 0 is what the classic example programs send, without NLM_F_REQUEST;
 * netlink_rcv_skb() skips both, so leading type-0 messages are echoed here.
 */
static void nltest_legacy(struct sk_buff *skb)
{
	while (skb->len >= NLMSG_HDRLEN) {
		struct nlmsghdr *nlh = nlmsg_hdr(skb);
		int err;

		if (nlh->nlmsg_type != NLTEST_MSG_LEGACY_ECHO)
			break;
		nltest_log("rx legacy", nlh, NETLINK_CB(skb).portid);
		err = nltest_echo(skb, nlh);
		if (err)
			atomic64_inc(&nltest_stats.errors);
		if (err || (nlh->nlmsg_flags & NLM_F_ACK))
			nltest_ack(skb, nlh, err, NULL);
		/* Lengths were checked by nltest_check_framing(). */
		skb_pull(skb, min_t(unsigned int, NLMSG_ALIGN(nlh->nlmsg_len), skb->len));
	}
}

static void nltest_input(struct sk_buff *skb)
{
#ifdef NLTEST_HAVE_EXTACK
	struct netlink_ext_ack extack;
	struct netlink_ext_ack *ea = &extack;

	memset(&extack, 0, sizeof(extack));
#else
	struct netlink_ext_ack *ea = NULL;
#endif
	int bad = nltest_check_framing(skb, ea);

	if (bad >= 0) {
		nltest_reject_framing(skb, bad, ea);
		return;
	}
	nltest_legacy(skb);
#ifdef NLTEST_HAVE_EXTACK
	netlink_rcv_skb(skb, nltest_rcv_msg);
#else
	netlink_rcv_skb(skb, nltest_rcv_msg_noext);
#endif
}

/* ---- generic netlink ---------------------------------------------------- */

static struct genl_family nltest_genl_family;

static const struct nla_policy nltest_genl_policy[NLTEST_GENL_ATTR_MAX + 1] = {
	[NLTEST_GENL_ATTR_MSG]		= { .type = NLA_STRING, .len = NLTEST_GENL_MSG_MAX },
	[NLTEST_GENL_ATTR_STATS]	= { .type = NLA_NESTED },
	[NLTEST_GENL_ATTR_EVENT_SEQ]	= { .type = NLA_U32 },
	[NLTEST_GENL_ATTR_RESET]	= { .type = NLA_FLAG },
};

/* Puts a string attribute from bytes that may or may not end in NUL. */
static int nltest_put_text(struct sk_buff *skb, int attr, const char *s, size_t len)
{
	struct nlattr *nla;

	if (len && s[len - 1] == '\0')
		len--;
	nla = nla_reserve(skb, attr, len + 1);
	if (!nla)
		return -EMSGSIZE;
	memcpy(nla_data(nla), s, len);
	((char *)nla_data(nla))[len] = '\0';
	return 0;
}

static void nltest_genl_log(const struct genl_info *info)
{
	if (verbose >= 1)
		pr_info("genl rx cmd=%u seq=%u portid=%u\n",
			info->genlhdr->cmd, info->snd_seq, info->snd_portid);
}

static int nltest_genl_echo(struct sk_buff *in, struct genl_info *info)
{
	const struct nlattr *msg = info->attrs[NLTEST_GENL_ATTR_MSG];
	const char *text = msg ? nla_data(msg) : NLTEST_GENL_HELLO;
	size_t len = msg ? nla_len(msg) : strlen(NLTEST_GENL_HELLO);
	struct sk_buff *skb;
	void *hdr;
	int err;

	nltest_genl_log(info);
	atomic64_inc(&nltest_stats.rx);
	skb = genlmsg_new(nla_total_size(len + 1), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &nltest_genl_family, 0, NLTEST_GENL_CMD_ECHO);
	if (!hdr || nltest_put_text(skb, NLTEST_GENL_ATTR_MSG, text, len)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	err = genlmsg_reply(skb, info);
	atomic64_inc(err ? &nltest_stats.dropped : &nltest_stats.tx);
	return 0;
}

static int nltest_genl_stats(struct sk_buff *in, struct genl_info *info)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;
	int err;

	nltest_genl_log(info);
	atomic64_inc(&nltest_stats.rx);
	skb = genlmsg_new(nla_total_size(NLTEST_STATS_SIZE), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &nltest_genl_family, 0, NLTEST_GENL_CMD_STATS);
	if (!hdr)
		goto too_big;
	nest = nla_nest_start(skb, NLTEST_GENL_ATTR_STATS);
	if (!nest || nltest_stats_fill(skb, !!info->attrs[NLTEST_GENL_ATTR_RESET]))
		goto too_big;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	err = genlmsg_reply(skb, info);
	atomic64_inc(err ? &nltest_stats.dropped : &nltest_stats.tx);
	return 0;
too_big:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

static const struct genl_ops nltest_genl_ops[] = {
	{
		.cmd = NLTEST_GENL_CMD_ECHO,
		.doit = nltest_genl_echo,
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 2, 0)
		.policy = nltest_genl_policy,
#endif
	},
	{
		.cmd = NLTEST_GENL_CMD_STATS,
		.doit = nltest_genl_stats,
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 2, 0)
		.policy = nltest_genl_policy,
#endif
	},
};

static const struct genl_multicast_group nltest_genl_mcgrps[] = {
	[NLTEST_GENL_MCGRP_EVENTS] = { .name = NLTEST_GENL_MCGRP_EVENTS_NAME },
};

static struct genl_family nltest_genl_family = {
	.name = NLTEST_GENL_NAME,
	.version = NLTEST_GENL_VERSION,
	.maxattr = NLTEST_GENL_ATTR_MAX,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 2, 0)
	.policy = nltest_genl_policy,
#endif
	.module = THIS_MODULE,
	.ops = nltest_genl_ops,
	.n_ops = ARRAY_SIZE(nltest_genl_ops),
	.mcgrps = nltest_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nltest_genl_mcgrps),
};

/* Runs under the module's parameter lock, in the writer's process context. */
static int nltest_trigger_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strlen(val);
	struct sk_buff *skb;
	void *hdr;
	u32 seq;
	int err;

	if (!nltest_genl_ready)
		return -EAGAIN;
	if (len && val[len - 1] == '\n')
		len--;
	if (len > NLTEST_GENL_MSG_MAX)
		return -EINVAL;

	skb = genlmsg_new(nla_total_size(len + 1) + nla_total_size(4), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	seq = atomic_inc_return(&nltest_event_seq);
	hdr = genlmsg_put(skb, 0, 0, &nltest_genl_family, 0, NLTEST_GENL_CMD_EVENT);
	if (!hdr ||
	    nltest_put_text(skb, NLTEST_GENL_ATTR_MSG, val, len) ||
	    nla_put_u32(skb, NLTEST_GENL_ATTR_EVENT_SEQ, seq)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	err = genlmsg_multicast(&nltest_genl_family, skb, 0,
				NLTEST_GENL_MCGRP_EVENTS, GFP_KERNEL);
	nltest_count_multicast(err);
	if (verbose >= 1)
		pr_info("event %u (%zu bytes): %d\n", seq, len, err);
	/* Nobody listening is not the writer's error. */
	return 0;
}

/* ---- module ------------------------------------------------------------- */

static int __init nltest_init(void)
{
	struct netlink_kernel_cfg cfg = {
		.input = nltest_input,
		.groups = groups,
		/* Let unprivileged sockets join the groups (listen). */
		.flags = NL_CFG_F_NONROOT_RECV,
	};
	int err;

	if (groups < 1 || groups > NLTEST_GROUPS_MAX) {
		pr_err("groups=%u is outside 1..%u\n", groups, NLTEST_GROUPS_MAX);
		return -EINVAL;
	}

	nltest_wq = alloc_workqueue(KBUILD_MODNAME, 0, 0);
	if (!nltest_wq)
		return -ENOMEM;

	err = genl_register_family(&nltest_genl_family);
	if (err) {
		pr_err("cannot register genl family %s: %d\n", NLTEST_GENL_NAME, err);
		goto err_wq;
	}

	err = nltest_devlink_init();
	if (err)
		goto err_genl;

	/*
	 * THIS_MODULE becomes the protocol's owner: socket(AF_NETLINK, ..., 25)
	 * takes a reference on the module, and only once the kernel socket is
	 * fully registered. So no user socket of the protocol can outlive the
	 * module or exist while this socket is being created (af_netlink.c
	 * hashes it before marking it a kernel socket; a sender reaching it in
	 * between would hit BUG() in netlink_data_ready()), and no sender can
	 * be inside nltest_input() when exit releases it. This is the last step
	 * that can fail: once user sockets may hold the module, init must not.
	 */
	nltest_sk = netlink_kernel_create(&init_net, NETLINK_TEST, &cfg);
	if (!nltest_sk) {
		pr_err("cannot register netlink protocol %d (in use?)\n", NETLINK_TEST);
		err = -EBUSY;
		goto err_devlink;
	}

	kernel_param_lock(THIS_MODULE);
	nltest_genl_ready = true;
	kernel_param_unlock(THIS_MODULE);

	pr_info("protocol %d with %u groups, genl family %s (id %d)\n",
		NETLINK_TEST, groups, NLTEST_GENL_NAME, nltest_genl_family.id);
	return 0;

err_devlink:
	nltest_devlink_exit();
err_genl:
	genl_unregister_family(&nltest_genl_family);
err_wq:
	destroy_workqueue(nltest_wq);
	return err;
}

static void __exit nltest_exit(void)
{
	/* The trigger file outlives exit() briefly: disarm it first. */
	kernel_param_lock(THIS_MODULE);
	nltest_genl_ready = false;
	kernel_param_unlock(THIS_MODULE);

	/* Waits for running genl handlers. */
	genl_unregister_family(&nltest_genl_family);

	/* Streams send through the socket: stop them while it exists. */
	nltest_streams_stop();
	netlink_kernel_release(nltest_sk);
	nltest_devlink_exit();
	destroy_workqueue(nltest_wq);
	pr_info("unloaded\n");
}

module_init(nltest_init);
module_exit(nltest_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Netlink test protocol (NETLINK_TEST), genl family nlctl_test and a devlink instance");
MODULE_ALIAS_NET_PF_PROTO(PF_NETLINK, NETLINK_TEST);
MODULE_ALIAS_GENL_FAMILY(NLTEST_GENL_NAME);
