/* binfmt.h - can this machine run a platform's binaries: natively, or
 * through the kernel's binfmt_misc with QEMU user emulation (Debian's
 * qemu-user-static).  Nothing runs a binary of another platform without
 * this check saying yes. */
#ifndef MDK_RT_BINFMT_H
#define MDK_RT_BINFMT_H

#include "base/base.h"

/* MDK_OK when p's binaries can run here.  As root a missing handler is
 * registered (binfmt_misc mounted first if it is not) from the binfmt.d
 * file qemu-user-static installs; otherwise the error says what to
 * install or run. */
enum mdk_status mdk_rt_platform_ready(const struct mdk_platform *p,
                                      struct mdk_err *e);

#endif
