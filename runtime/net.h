/* net.h - the network of a step.  By default a RUN gets a network
 * namespace of its own with a way out through slirp4netns (user-mode
 * networking: it works rootless and as root, and needs no bridge, no
 * iptables): the namespace has lo and tap0 (10.0.2.100/24), the gateway
 * 10.0.2.2 reaches the host's loopback, 10.0.2.3 is the DNS forwarder.
 * The namespace is held by a small process of its own, so that mdock's
 * runtime joins it with setns and an OCI runtime with its path.  One
 * namespace serves every step of a process (a build): slirp4netns takes
 * ~15 ms to come up and as long to go, which one namespace per step would
 * add to every RUN; steps still never see the host's interfaces.
 * "host" shares the host's network, "none" has loopback only.  When
 * slirp4netns is missing or cannot open /dev/net/tun, the default falls
 * back to the host's network with a notice. */
#ifndef MDK_RT_NET_H
#define MDK_RT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum mdk_rt_netmode {
  MDK_RT_NET_HOST,              /* the host's network */
  MDK_RT_NET_NONE,              /* a namespace with loopback only */
  MDK_RT_NET_SLIRP              /* a namespace with slirp4netns's way out */
};

/* The address a step reaches the host's loopback at, by the name the
 * step's /etc/hosts gives it. */
#define MDK_RT_SLIRP_HOST "10.0.2.2"
#define MDK_RT_SLIRP_HOST_NAME "host.containers.internal"
#define MDK_RT_SLIRP_DNS "10.0.2.3"

/* The mode of a --network value ("default", "host", "none", NULL for
 * default); false for another value.  The default is SLIRP when it can
 * be had, else HOST, and *notice (when not NULL) is set the first time
 * in a process that it cannot: one line saying why. */
bool mdk_rt_net_mode(const char *value, enum mdk_rt_netmode *mode,
                     const char **notice);

/* Brings lo up in this process's network namespace. */
void mdk_rt_loopback_up(void);

/* The path of this process's network namespace with slirp4netns attached
 * (/proc/PID/ns/net), made by the first call; NULL with why in err.  The
 * holder and slirp4netns end when this process does, however it ends. */
const char *mdk_rt_netns_shared(char *err, size_t cap);

#endif
