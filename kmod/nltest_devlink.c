// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_test's devlink instance: "platform/nlctl_test", on a platform
 * device of the module's own (no driver binds to it; devlink only needs a
 * struct device). It gives the devlink family real replies to decode:
 *   get          the handle
 *   info-get     driver name, serial number, a fixed, a running and a
 *                stored version
 *   param-get    two driver-specific runtime params, a bool and a u32,
 *                both settable (param-set; the u32 is range-checked, with
 *                an extended ACK)
 *   port-get     one physical port without a netdev
 *   health-reporter-get  one reporter with no callbacks
 *
 * The devlink driver API changes often: this file follows Linux 5.16 to
 * 6.1 (devlink_register() without arguments, params registered before the
 * instance, the driver putting its own name in info-get). On other kernels,
 * or without CONFIG_NET_DEVLINK, the module loads without the instance.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/version.h>
#include <linux/err.h>
#include <linux/platform_device.h>
#include <net/devlink.h>

#include "nltest_devlink.h"

#if IS_ENABLED(CONFIG_NET_DEVLINK) && \
	LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)

enum nltest_devlink_param_id {
	NLTEST_DEVLINK_PARAM_ID_BASE = DEVLINK_PARAM_GENERIC_ID_MAX,
	NLTEST_DEVLINK_PARAM_ID_FAST_PATH,
	NLTEST_DEVLINK_PARAM_ID_QUEUE_DEPTH,
};

struct nltest_devlink {
	/* Runtime param values; devlink serialises get/set per instance. */
	bool fast_path;
	u32 queue_depth;
	struct devlink_port port;
	struct devlink_health_reporter *reporter;
};

static struct platform_device *nltest_pdev;
static struct devlink *nltest_dl;

static int nltest_dl_info_get(struct devlink *devlink, struct devlink_info_req *req,
			      struct netlink_ext_ack *extack)
{
	int err;

	err = devlink_info_driver_name_put(req, KBUILD_MODNAME);
	if (!err)
		err = devlink_info_serial_number_put(req, NLTEST_DEVLINK_SERIAL);
	if (!err)
		err = devlink_info_version_fixed_put(req, DEVLINK_INFO_VERSION_GENERIC_ASIC_ID,
						     NLTEST_DEVLINK_ASIC_ID);
	if (!err)
		err = devlink_info_version_running_put(req, DEVLINK_INFO_VERSION_GENERIC_FW,
						       NLTEST_DEVLINK_FW_RUNNING);
	if (!err)
		err = devlink_info_version_stored_put(req, DEVLINK_INFO_VERSION_GENERIC_FW,
						      NLTEST_DEVLINK_FW_STORED);
	return err;
}

static const struct devlink_ops nltest_dl_ops = {
	.info_get = nltest_dl_info_get,
};

static int nltest_dl_param_get(struct devlink *devlink, u32 id,
			       struct devlink_param_gset_ctx *ctx)
{
	struct nltest_devlink *priv = devlink_priv(devlink);

	switch (id) {
	case NLTEST_DEVLINK_PARAM_ID_FAST_PATH:
		ctx->val.vbool = priv->fast_path;
		return 0;
	case NLTEST_DEVLINK_PARAM_ID_QUEUE_DEPTH:
		ctx->val.vu32 = priv->queue_depth;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int nltest_dl_param_set(struct devlink *devlink, u32 id,
			       struct devlink_param_gset_ctx *ctx)
{
	struct nltest_devlink *priv = devlink_priv(devlink);

	switch (id) {
	case NLTEST_DEVLINK_PARAM_ID_FAST_PATH:
		priv->fast_path = ctx->val.vbool;
		return 0;
	case NLTEST_DEVLINK_PARAM_ID_QUEUE_DEPTH:
		priv->queue_depth = ctx->val.vu32;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int nltest_dl_queue_validate(struct devlink *devlink, u32 id,
				    union devlink_param_value val,
				    struct netlink_ext_ack *extack)
{
	if (val.vu32 < 1 || val.vu32 > NLTEST_DEVLINK_QUEUE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "queue_depth out of range 1..4096");
		return -EINVAL;
	}
	return 0;
}

static const struct devlink_param nltest_dl_params[] = {
	DEVLINK_PARAM_DRIVER(NLTEST_DEVLINK_PARAM_ID_FAST_PATH, NLTEST_DEVLINK_PARAM_FAST_PATH,
			     DEVLINK_PARAM_TYPE_BOOL, BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     nltest_dl_param_get, nltest_dl_param_set, NULL),
	DEVLINK_PARAM_DRIVER(NLTEST_DEVLINK_PARAM_ID_QUEUE_DEPTH, NLTEST_DEVLINK_PARAM_QUEUE,
			     DEVLINK_PARAM_TYPE_U32, BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     nltest_dl_param_get, nltest_dl_param_set,
			     nltest_dl_queue_validate),
};

static const struct devlink_health_reporter_ops nltest_dl_reporter_ops = {
	.name = NLTEST_DEVLINK_REPORTER,
};

int nltest_devlink_init(void)
{
	struct devlink_port_attrs attrs = {
		.flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL,
		.phys.port_number = 1,
	};
	struct nltest_devlink *priv;
	int err;

	nltest_pdev = platform_device_register_simple(NLTEST_DEVLINK_DEV, PLATFORM_DEVID_NONE,
						      NULL, 0);
	if (IS_ERR(nltest_pdev)) {
		err = PTR_ERR(nltest_pdev);
		pr_err("cannot create platform device %s: %d\n", NLTEST_DEVLINK_DEV, err);
		return err;
	}

	nltest_dl = devlink_alloc(&nltest_dl_ops, sizeof(*priv), &nltest_pdev->dev);
	if (!nltest_dl) {
		err = -ENOMEM;
		goto err_pdev;
	}
	priv = devlink_priv(nltest_dl);
	priv->fast_path = true;
	priv->queue_depth = NLTEST_DEVLINK_QUEUE_DEFAULT;

	/* Before 6.3, params must be in place before the instance is registered. */
	err = devlink_params_register(nltest_dl, nltest_dl_params, ARRAY_SIZE(nltest_dl_params));
	if (err)
		goto err_free;

	devlink_port_attrs_set(&priv->port, &attrs);
	err = devlink_port_register(nltest_dl, &priv->port, NLTEST_DEVLINK_PORT_INDEX);
	if (err)
		goto err_params;

	priv->reporter = devlink_health_reporter_create(nltest_dl, &nltest_dl_reporter_ops, 0, NULL);
	if (IS_ERR(priv->reporter)) {
		err = PTR_ERR(priv->reporter);
		goto err_port;
	}

	devlink_register(nltest_dl);
	pr_info("devlink instance %s/%s\n", NLTEST_DEVLINK_BUS, NLTEST_DEVLINK_DEV);
	return 0;

err_port:
	devlink_port_unregister(&priv->port);
err_params:
	devlink_params_unregister(nltest_dl, nltest_dl_params, ARRAY_SIZE(nltest_dl_params));
err_free:
	devlink_free(nltest_dl);
err_pdev:
	platform_device_unregister(nltest_pdev);
	pr_err("cannot set up the devlink instance: %d\n", err);
	return err;
}

void nltest_devlink_exit(void)
{
	struct nltest_devlink *priv = devlink_priv(nltest_dl);

	/* Waits for running devlink commands; the rest is then ours alone. */
	devlink_unregister(nltest_dl);
	devlink_health_reporter_destroy(priv->reporter);
	devlink_port_unregister(&priv->port);
	devlink_params_unregister(nltest_dl, nltest_dl_params, ARRAY_SIZE(nltest_dl_params));
	devlink_free(nltest_dl);
	platform_device_unregister(nltest_pdev);
}

#else /* no devlink, or a devlink driver API this file does not follow */

int nltest_devlink_init(void)
{
	pr_info("no devlink instance on this kernel (needs CONFIG_NET_DEVLINK, Linux 5.16 to 6.1)\n");
	return 0;
}

void nltest_devlink_exit(void)
{
}

#endif
