/* runtime.h - running one RUN step in an isolated root, no daemon:
 * new mount, pid, uts, ipc and (unless host networking) net namespaces; an
 * overlay of the parent's layer directories with a fresh upper dir;
 * pivot_root; a minimal /dev, /proc, /sys, /etc/hosts and
 * /etc/resolv.conf that never reach the layer; the step's uid/gid, env and
 * workdir.  Output is streamed to a file descriptor; the exit status comes
 * back; no process outlives the step (the pid namespace dies with it).
 * runtime/ knows nothing of images: it gets directories. */
#ifndef MDK_RT_RUNTIME_H
#define MDK_RT_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/base.h"
#include "runtime/net.h"
#include "runtime/overlay.h"

enum mdk_rt_mount_type { MDK_RT_BIND, MDK_RT_TMPFS };

struct mdk_rt_mount {
  enum mdk_rt_mount_type type;
  const char *source;           /* host path (bind) */
  const char *target;           /* absolute, inside the root */
  bool readonly;
  bool file;                    /* the source is a file, not a directory */
  /* a directory writable in the step but unchanged outside it (RUN
   * --mount=type=bind,rw): an overlay with its upper/work dirs here */
  const char *scratch;
  const char *options;          /* tmpfs: extra options ("size=...") */
};

struct mdk_rt_spec {
  const char *const *lowers;    /* layer dirs, topmost first; may be empty */
  size_t nlowers;
  const char *upper;            /* the step's changes land here */
  const char *work;             /* overlay's work dir (same filesystem) */
  const char *merged;           /* mount point of the root */
  const char *const *argv;
  const char *const *env;       /* NULL-terminated "K=V" */
  const char *cwd;
  uid_t uid;
  gid_t gid;
  const gid_t *groups;
  size_t ngroups;
  enum mdk_rt_overlay overlay;  /* how the root is mounted (overlay.h) */
  enum mdk_rt_netmode network;  /* runtime/net.h */
  const char *netns;            /* SLIRP: the namespace to join (set by the
                                   runtime) */
  const char *hostname;
  const char *extra_hosts;      /* more /etc/hosts lines ("IP\tNAME\n"...),
                                   or NULL */
  const struct mdk_rt_mount *mounts;
  size_t nmounts;
  int out_fd;                   /* stdout and stderr of the step: a file
                                   (the caller reads it when it is done) */
  int err_fd;                   /* stderr apart (mdock run), or -1 */
  int in_fd;                    /* stdin (mdock run), or -1: /dev/null */
  bool tty;                     /* in_fd is a terminal: made the command's
                                   controlling terminal (mdock run -t) */
  int elf_machine;              /* the image platform's ELF machine: a
                                   program (or #! interpreter) built for
                                   another is refused, never run as the
                                   host's (0: not checked) */
  const char *platform;         /* the image's platform, for that error */
  uint64_t shm_size;            /* /dev/shm's size in bytes (0: 64 MiB, as
                                   docker's) */
  const struct mdk_rt_ulimit *ulimits;   /* docker build --ulimit */
  size_t nulimits;
};

/* a resource limit of the step (setrlimit's RLIMIT_*; RLIM_INFINITY for
 * docker's -1) */
struct mdk_rt_ulimit {
  int resource;
  uint64_t soft, hard;
};
/* "nofile=1024:2048" (docker's --ulimit: a name, soft[:hard], -1 for
 * unlimited) into u; false with *why set when it is not one. */
bool mdk_rt_ulimit_parse(const char *s, struct mdk_rt_ulimit *u,
                         const char **why);
/* the OCI spec's name of a resource (RLIMIT_NOFILE) */
const char *mdk_rt_ulimit_oci_name(int resource);

struct mdk_rt_result {
  int exit_code;                /* 128+N when killed by signal N */
  char error[512];              /* set when the step could not start */
  char exec_error[512];         /* set when its command could not be run
                                   (exit_code 127: not found, 126: not
                                   runnable) */
  /* mount points the runtime had to create in the root (one per line,
   * parents first): not the step's changes, to be dropped from the layer */
  char mounts_text[4096];
};

/* Whether this process can run steps (root, or user namespaces). */
bool mdk_rt_available(char *why, size_t n);

enum mdk_status mdk_rt_run(const struct mdk_rt_spec *spec,
                           struct mdk_rt_result *res);

/* What every runtime does around a step (mdk_rt_run, runtime/oci.c):
 * joins the network namespace slirp4netns serves, and with COPY roots
 * copies the layers into merged before and finds the step's changes into
 * upper after (runtime/copyroot.h); step runs it on the completed spec. */
typedef enum mdk_status (*mdk_rt_step_fn)(const struct mdk_rt_spec *sp,
                                          struct mdk_rt_result *res,
                                          void *ctx);
enum mdk_status mdk_rt_with_root(const struct mdk_rt_spec *spec,
                                 struct mdk_rt_result *res,
                                 mdk_rt_step_fn step, void *ctx);

/* The overlay mount options of the step's root (its lowers under its
 * upper and work dirs) in buf; false when they do not fit (a cut list
 * would mount the wrong layers). */
bool mdk_rt_overlay_opts(const struct mdk_rt_spec *spec, char *buf,
                         size_t cap);

/* The processes of the steps running now: Ctrl-C kills them all (safe in
 * a signal handler).  track/untrack are the runtime's own. */
void mdk_rt_kill_all(void);
void mdk_rt_track(pid_t pid);
void mdk_rt_untrack(pid_t pid);

#endif
