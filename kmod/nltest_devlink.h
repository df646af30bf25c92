/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devlink side of netlink_test: one devlink instance, "platform/nlctl_test",
 * on a platform device the module creates, so that devlink tools have real
 * content to read on a kernel without netdevsim. What it offers is listed in
 * nltest_devlink.c; the values are in the NLTEST_DEVLINK_* macros below.
 */
#ifndef NLTEST_DEVLINK_H
#define NLTEST_DEVLINK_H

/* The handle: bus-name / dev-name. */
#define NLTEST_DEVLINK_BUS		"platform"
#define NLTEST_DEVLINK_DEV		"nlctl_test"

/* info-get */
#define NLTEST_DEVLINK_SERIAL		"NLCTL-TEST-0001"
#define NLTEST_DEVLINK_ASIC_ID		"nlctl-test-asic"	/* fixed "asic.id" */
#define NLTEST_DEVLINK_FW_RUNNING	"1.2.3"			/* running "fw" */
#define NLTEST_DEVLINK_FW_STORED	"1.2.4"			/* stored "fw" */

/* Driver-specific runtime params, with their values at load. */
#define NLTEST_DEVLINK_PARAM_FAST_PATH	"fast_path"	/* bool, default true */
#define NLTEST_DEVLINK_PARAM_QUEUE	"queue_depth"	/* u32, default 64, 1..4096 */
#define NLTEST_DEVLINK_QUEUE_DEFAULT	64
#define NLTEST_DEVLINK_QUEUE_MAX	4096

/* One physical port, index 1, port number 1; one health reporter. */
#define NLTEST_DEVLINK_PORT_INDEX	1
#define NLTEST_DEVLINK_REPORTER		"nlctl_test"

/* 0 on success, or when the kernel has no devlink (nothing is registered). */
int nltest_devlink_init(void);
void nltest_devlink_exit(void);

#endif
