/* oci.c - the same step handed to an installed OCI runtime (runc,
 * crun): mdock mounts the overlay root itself, writes a bundle
 * (config.json) with the step's process, user, env, mounts and namespaces,
 * and runs `RUNTIME run --bundle DIR ID`.  The mount points the runtime
 * creates in the root are reported like the embedded runtime's, so they
 * stay out of the layer. */
#include "runtime/oci.h"
#include "runtime/copyroot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"

static const char *const caps[] = {
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
  "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
  NULL};

static void str_list(struct mdk_jsonw *w, const char *key,
                     const char *const *v)
{
  mdk_jsonw_key(w, key);
  mdk_jsonw_begin(w, '[');
  for(; v && *v; v++)
    mdk_jsonw_cstr(w, *v);
  mdk_jsonw_end(w, ']');
}

static void add_mount(struct mdk_jsonw *w, const char *dst, const char *type,
                      const char *src, const char *const *opts)
{
  mdk_jsonw_begin(w, '{');
  mdk_jsonw_key(w, "destination");
  mdk_jsonw_cstr(w, dst);
  mdk_jsonw_key(w, "type");
  mdk_jsonw_cstr(w, type);
  mdk_jsonw_key(w, "source");
  mdk_jsonw_cstr(w, src);
  str_list(w, "options", opts);
  mdk_jsonw_end(w, '}');
}

/* The overlays made for rw bind mounts (the first n), undone. */
static void unmount_scratch(const struct mdk_rt_spec *sp, size_t n)
{
  size_t i;
  for(i = 0; i < n && i < sp->nmounts; i++)
    if(sp->mounts[i].scratch && !sp->mounts[i].file &&
       sp->mounts[i].type == MDK_RT_BIND) {
      char mp[4200];
      snprintf(mp, sizeof(mp), "%s/merged", sp->mounts[i].scratch);
      umount2(mp, MNT_DETACH);
    }
}

static bool has_line(const char *text, const char *line)
{
  size_t n = strlen(line);
  const char *p = text;
  while((p = strstr(p, line))) {
    if((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
      return true;
    p++;
  }
  return false;
}

/* Records (in text, parents first) the parts of path missing in root. */
static void note_missing(const char *root, const char *path, char *text,
                         size_t cap)
{
  char sub[4200];
  const char *p = path;
  size_t o = strlen(text);
  while((p = strchr(p + 1, '/')) || *path) {
    struct stat sb;
    size_t n = p ? (size_t)(p - path) : strlen(path);
    char full[8400];
    snprintf(sub, sizeof(sub), "%.*s", (int)n, path);
    snprintf(full, sizeof(full), "%s%s", root, sub);
    if(lstat(full, &sb) != 0 && !has_line(text, sub) && o + n + 2 < cap) {
      o += (size_t)snprintf(text + o, cap - o, "%s\n", sub);
    }
    if(!p)
      break;
  }
}

/* The overlay for a rw bind mount: writable in the step, the source
 * unchanged; the runtime sees an ordinary directory.  "" or the error. */
static bool scratch_overlay(enum mdk_rt_overlay kind,
                            const struct mdk_rt_mount *m, char mp[4200],
                            struct mdk_rt_result *res)
{
  char up[4200], wk[4200], o2[12800], err[300] = "";
  snprintf(up, sizeof(up), "%s/upper", m->scratch);
  snprintf(wk, sizeof(wk), "%s/work", m->scratch);
  snprintf(mp, 4200, "%s/merged", m->scratch);
  mkdir(m->scratch, 0700);
  mkdir(up, 0755);
  mkdir(wk, 0700);
  mkdir(mp, 0755);
  snprintf(o2, sizeof(o2), "lowerdir=%s,upperdir=%s,workdir=%s", m->source,
           up, wk);
  if(kind == MDK_RT_OVL_COPY) {
    /* no overlay: a copy to write in, thrown away with the step */
    const char *src[1] = {m->source};
    if(mdk_rt_copy_layers(src, 1, mp, err, sizeof(err)))
      return true;
  }
  else if(mdk_rt_overlay_mount(kind, o2, mp, err, sizeof(err)) == 0) {
    return true;
  }
  snprintf(res->error, sizeof(res->error), "overlay for %s: %s", m->target,
           err[0] ? err : strerror(errno));
  return false;
}

/* config.json's "mounts": the fixed ones, then the step's; false (with
 * the scratch overlays made so far undone) when one cannot be made */
static bool write_mounts(struct mdk_jsonw *w, const struct mdk_rt_spec *sp,
                         const char *hosts, const char *resolv,
                         struct mdk_rt_result *res)
{
  size_t i;
  mdk_jsonw_key(w, "mounts");
  mdk_jsonw_begin(w, '[');
  add_mount(w, "/proc", "proc", "proc", NULL);
  add_mount(w, "/dev", "tmpfs", "tmpfs",
            (const char *const[]){"nosuid", "strictatime", "mode=755",
                                  "size=65536k", NULL});
  add_mount(w, "/dev/pts", "devpts", "devpts",
            (const char *const[]){"nosuid", "noexec", "newinstance",
                                  "ptmxmode=0666", "mode=0620", NULL});
  {
    char size[48];
    snprintf(size, sizeof(size), "size=%llu", (unsigned long long)(
               sp->shm_size ? sp->shm_size : 64ULL << 20));
    add_mount(w, "/dev/shm", "tmpfs", "shm",
              (const char *const[]){"nosuid", "noexec", "nodev", "mode=1777",
                                    size, NULL});
  }
  add_mount(w, "/sys", "sysfs", "sysfs",
            (const char *const[]){"nosuid", "noexec", "nodev", "ro", NULL});
  add_mount(w, "/etc/hosts", "bind", hosts,
            (const char *const[]){"rbind", "rprivate", NULL});
  add_mount(w, "/etc/resolv.conf", "bind", resolv,
            (const char *const[]){"rbind", "ro", "rprivate", NULL});
  for(i = 0; i < sp->nmounts; i++) {
    const struct mdk_rt_mount *m = &sp->mounts[i];
    char mp[4200];
    if(m->type == MDK_RT_TMPFS) {
      add_mount(w, m->target, "tmpfs", "tmpfs",
                (const char *const[]){"nosuid", "nodev", "mode=1777", NULL});
    }
    else if(m->scratch && !m->file) {
      if(!scratch_overlay(sp->overlay, m, mp, res)) {
        unmount_scratch(sp, i);
        return false;
      }
      add_mount(w, m->target, "bind", mp,
                (const char *const[]){"rbind", "rw", NULL});
    }
    else {
      add_mount(w, m->target, "bind", m->source,
                m->readonly ? (const char *const[]){"rbind", "ro", NULL}
                            : (const char *const[]){"rbind", "rw", NULL});
    }
  }
  mdk_jsonw_end(w, ']');
  return true;
}

static void write_process(struct mdk_jsonw *w, const struct mdk_rt_spec *sp)
{
  size_t i;
  mdk_jsonw_key(w, "process");
  mdk_jsonw_begin(w, '{');
  mdk_jsonw_key(w, "terminal");
  mdk_jsonw_bool(w, false);
  mdk_jsonw_key(w, "user");
  mdk_jsonw_begin(w, '{');
  mdk_jsonw_key(w, "uid");
  mdk_jsonw_int(w, sp->uid);
  mdk_jsonw_key(w, "gid");
  mdk_jsonw_int(w, sp->gid);
  mdk_jsonw_key(w, "additionalGids");
  mdk_jsonw_begin(w, '[');
  for(i = 0; i < sp->ngroups; i++)
    mdk_jsonw_int(w, sp->groups[i]);
  mdk_jsonw_end(w, ']');
  mdk_jsonw_end(w, '}');
  str_list(w, "args", sp->argv);
  str_list(w, "env", sp->env);
  mdk_jsonw_key(w, "cwd");
  mdk_jsonw_cstr(w, sp->cwd ? sp->cwd : "/");
  mdk_jsonw_key(w, "capabilities");
  mdk_jsonw_begin(w, '{');
  str_list(w, "bounding", caps);
  str_list(w, "effective", caps);
  str_list(w, "permitted", caps);
  str_list(w, "ambient", NULL);
  mdk_jsonw_end(w, '}');
  mdk_jsonw_key(w, "noNewPrivileges");
  mdk_jsonw_bool(w, false);
  if(sp->nulimits) {
    /* docker build --ulimit: the OCI spec's rlimits */
    mdk_jsonw_key(w, "rlimits");
    mdk_jsonw_begin(w, '[');
    for(i = 0; i < sp->nulimits; i++) {
      mdk_jsonw_begin(w, '{');
      mdk_jsonw_key(w, "type");
      mdk_jsonw_cstr(w, mdk_rt_ulimit_oci_name(sp->ulimits[i].resource));
      char n[24];
      mdk_jsonw_key(w, "hard");
      snprintf(n, sizeof(n), "%llu", (unsigned long long)sp->ulimits[i].hard);
      mdk_jsonw_raw(w, mdk_str_c(n));
      mdk_jsonw_key(w, "soft");
      snprintf(n, sizeof(n), "%llu", (unsigned long long)sp->ulimits[i].soft);
      mdk_jsonw_raw(w, mdk_str_c(n));
      mdk_jsonw_end(w, '}');
    }
    mdk_jsonw_end(w, ']');
  }
  mdk_jsonw_end(w, '}');
}

static void write_linux(struct mdk_jsonw *w, const struct mdk_rt_spec *sp)
{
  static const char *const kinds[] = {"pid", "ipc", "uts", "mount", NULL};
  size_t i;
  mdk_jsonw_key(w, "linux");
  mdk_jsonw_begin(w, '{');
  mdk_jsonw_key(w, "namespaces");
  mdk_jsonw_begin(w, '[');
  for(i = 0; kinds[i]; i++) {
    mdk_jsonw_begin(w, '{');
    mdk_jsonw_key(w, "type");
    mdk_jsonw_cstr(w, kinds[i]);
    mdk_jsonw_end(w, '}');
  }
  if(sp->network != MDK_RT_NET_HOST) {
    mdk_jsonw_begin(w, '{');
    mdk_jsonw_key(w, "type");
    mdk_jsonw_cstr(w, "network");
    if(sp->network == MDK_RT_NET_SLIRP) {
      mdk_jsonw_key(w, "path");   /* the one slirp4netns serves */
      mdk_jsonw_cstr(w, sp->netns);
    }
    mdk_jsonw_end(w, '}');
  }
  mdk_jsonw_end(w, ']');
  str_list(w, "maskedPaths", (const char *const[]){
    "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware", NULL});
  str_list(w, "readonlyPaths", (const char *const[]){
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    NULL});
  mdk_jsonw_end(w, '}');
}

/* The bundle's config.json (and its hosts file); false with res->error. */
static bool write_bundle(const struct mdk_rt_spec *sp, const char *bundle,
                         struct mdk_rt_result *res)
{
  char cfgpath[4200], hosts[4200], resolv[4200];
  struct mdk_buf out;
  struct mdk_jsonw w;
  FILE *f;
  int err;
  snprintf(hosts, sizeof(hosts), "%s/hosts", bundle);
  f = fopen(hosts, "w");
  if(f) {
    fprintf(f, "127.0.0.1\tlocalhost %s\n::1\tlocalhost\n%s%s",
            sp->hostname ? sp->hostname : "localhost",
            sp->network == MDK_RT_NET_SLIRP
              ? MDK_RT_SLIRP_HOST "\t" MDK_RT_SLIRP_HOST_NAME "\n" : "",
            sp->extra_hosts ? sp->extra_hosts : "");
    fclose(f);
  }
  /* resolv.conf: slirp4netns's forwarder, the host's, or none */
  snprintf(resolv, sizeof(resolv), "%s/resolv.conf", bundle);
  f = fopen(resolv, "w");
  if(f) {
    FILE *host = sp->network == MDK_RT_NET_HOST
                 ? fopen("/etc/resolv.conf", "re") : NULL;
    char buf[4096];
    size_t n;
    if(sp->network == MDK_RT_NET_SLIRP)
      fputs("nameserver " MDK_RT_SLIRP_DNS "\n", f);
    while(host && (n = fread(buf, 1, sizeof(buf), host)) > 0)
      fwrite(buf, 1, n, f);
    if(host)
      fclose(host);
    fclose(f);
  }
  mdk_buf_init(&out, (size_t)16 << 20);
  mdk_jsonw_init(&w, &out);
  mdk_jsonw_begin(&w, '{');
  mdk_jsonw_key(&w, "ociVersion");
  mdk_jsonw_cstr(&w, "1.0.2");
  write_process(&w, sp);
  mdk_jsonw_key(&w, "root");
  mdk_jsonw_begin(&w, '{');
  mdk_jsonw_key(&w, "path");
  mdk_jsonw_cstr(&w, sp->merged);
  mdk_jsonw_key(&w, "readonly");
  mdk_jsonw_bool(&w, false);
  mdk_jsonw_end(&w, '}');
  mdk_jsonw_key(&w, "hostname");
  mdk_jsonw_cstr(&w, sp->hostname ? sp->hostname : "mdock");
  if(!write_mounts(&w, sp, hosts, resolv, res)) {
    mdk_buf_free(&out);
    return false;
  }
  write_linux(&w, sp);
  mdk_jsonw_end(&w, '}');
  mdk_jsonw_flush(&w);
  snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", bundle);
  if(mdk_write_atomic(cfgpath, out.ptr, out.len, &err)) {
    snprintf(res->error, sizeof(res->error), "cannot write %.400s: %s",
             cfgpath, strerror(err));
    unmount_scratch(sp, sp->nmounts);
    mdk_buf_free(&out);
    return false;
  }
  mdk_buf_free(&out);
  return true;
}

struct oci_call {
  const char *runtime, *bundle;
};

static enum mdk_status run_oci(const struct mdk_rt_spec *sp,
                               struct mdk_rt_result *res, void *ctx);

enum mdk_status mdk_rt_run_oci(const char *runtime,
                               const struct mdk_rt_spec *spec,
                               const char *bundle, struct mdk_rt_result *res)
{
  struct oci_call c = {runtime, bundle};
  return mdk_rt_with_root(spec, res, run_oci, &c);
}

static enum mdk_status run_oci(const struct mdk_rt_spec *sp,
                               struct mdk_rt_result *res, void *ctx)
{
  const char *runtime = ((const struct oci_call *)ctx)->runtime;
  const char *bundle = ((const struct oci_call *)ctx)->bundle;
  char opts[16384], id[64], state[4200];
  size_t i;
  int status;
  pid_t pid;
  snprintf(state, sizeof(state), "%s.runc", bundle);
  memset(res, 0, sizeof(*res));
  res->exit_code = -1;
  /* the root: mounted here, in mdock's own mount namespace */
  if(!mdk_rt_overlay_opts(sp, opts, sizeof(opts))) {
    snprintf(res->error, sizeof(res->error),
             "overlay mount: %zu layers are too many for one mount",
             sp->nlowers);
    return MDK_EIO;
  }
  /* COPY: merged is the copy of the layers already (mdk_rt_run_oci) */
  if(sp->overlay != MDK_RT_OVL_COPY) {
    char err[300] = "";
    if(mdk_rt_overlay_mount(sp->overlay, opts, sp->merged, err,
                            sizeof(err))) {
      snprintf(res->error, sizeof(res->error), "overlay mount: %s",
               err[0] ? err : strerror(errno));
      return MDK_EIO;
    }
  }
  /* what the runtime will have to create in the root */
  {
    static const char *const fixed[] = {"/proc", "/dev", "/sys",
                                        "/etc/hosts", "/etc/resolv.conf",
                                        NULL};
    for(i = 0; fixed[i]; i++)
      note_missing(sp->merged, fixed[i], res->mounts_text,
                   sizeof(res->mounts_text));
    for(i = 0; i < sp->nmounts; i++)
      note_missing(sp->merged, sp->mounts[i].target, res->mounts_text,
                   sizeof(res->mounts_text));
  }
  if(!write_bundle(sp, bundle, res)) {
    if(sp->overlay != MDK_RT_OVL_COPY)
      umount2(sp->merged, MNT_DETACH);
    return MDK_EIO;
  }
  /* a container name: "mdock-PID-N" */
  {
    char t[48];
    mdk_temp_name(t, sizeof(t), ".", "mdock");
    snprintf(id, sizeof(id), "%s", t + 2);
  }
  pid = fork();
  if(pid == 0) {
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    dup2(nul >= 0 ? nul : 0, 0);
    dup2(sp->out_fd, 1);
    dup2(sp->err_fd >= 0 ? sp->err_fd : sp->out_fd, 2);
    /* rootless, runc's state goes beside the bundle: /run/runc is the
     * real root's */
    if(mdk_userns_rootless())
      execlp(runtime, runtime, "--root", state, "run", "--bundle", bundle,
             id, (char *)NULL);
    else
      execlp(runtime, runtime, "run", "--bundle", bundle, id, (char *)NULL);
    fprintf(stderr, "cannot run %s: %s\n", runtime, strerror(errno));
    _exit(127);
  }
  if(pid > 0)
    mdk_rt_track(pid);
  if(pid < 0 || waitpid(pid, &status, 0) < 0) {
    if(pid > 0)
      mdk_rt_untrack(pid);
    snprintf(res->error, sizeof(res->error), "cannot start %s: %s", runtime,
             strerror(errno));
    unmount_scratch(sp, sp->nmounts);
    if(sp->overlay != MDK_RT_OVL_COPY)
      umount2(sp->merged, MNT_DETACH);
    return MDK_EIO;
  }
  mdk_rt_untrack(pid);
  res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
  /* a leftover container (a runtime that died) must not stay behind */
  pid = fork();
  if(pid == 0) {
    int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
    dup2(nul, 1);
    dup2(nul, 2);
    if(mdk_userns_rootless())
      execlp(runtime, runtime, "--root", state, "delete", "--force", id,
             (char *)NULL);
    else
      execlp(runtime, runtime, "delete", "--force", id, (char *)NULL);
    _exit(0);
  }
  if(pid > 0)
    waitpid(pid, &status, 0);
  unmount_scratch(sp, sp->nmounts);
  if(sp->overlay != MDK_RT_OVL_COPY && umount2(sp->merged, 0) &&
     umount2(sp->merged, MNT_DETACH))
    snprintf(res->error, sizeof(res->error), "cannot unmount %s: %s",
             sp->merged, strerror(errno));
  return res->error[0] ? MDK_EIO : MDK_OK;
}
