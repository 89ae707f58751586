/* oci.h - a RUN step through an installed OCI runtime (--runtime). */
#ifndef MDK_RT_OCI_H
#define MDK_RT_OCI_H

#include "base/base.h"
#include "runtime/run.h"

/* runtime: "runc" or "crun" (found in PATH); bundle: an empty directory
 * for config.json.  Same spec and result as mdk_rt_run. */
enum mdk_status mdk_rt_run_oci(const char *runtime,
                               const struct mdk_rt_spec *sp,
                               const char *bundle, struct mdk_rt_result *res);

#endif
