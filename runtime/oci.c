/* oci.c - the same step handed to an installed OCI runtime (runc,
 * crun): mdock mounts the overlay root itself, writes a bundle
 * (config.json) with the step's process, user, env, mounts and namespaces,
 * and runs `RUNTIME run --bundle DIR ID`.  The mount points the runtime
 * creates in the root are reported like the embedded runtime's, so they
 * stay out of the layer. */
#include "runtime/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
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

static json_t *str_list(const char *const *v)
{
  json_t *a = json_array();
  for(; v && *v; v++)
    json_array_append_new(a, json_string(*v));
  return a;
}

static void add_mount(json_t *ms, const char *dst, const char *type,
                      const char *src, const char *const *opts)
{
  json_array_append_new(ms, json_pack("{s:s,s:s,s:s,s:o}", "destination", dst,
                                      "type", type, "source", src, "options",
                                      str_list(opts)));
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

enum mdk_status mdk_rt_run_oci(const char *runtime,
                               const struct mdk_rt_spec *sp,
                               const char *bundle, struct mdk_rt_result *res)
{
  char opts[16384], id[64], cfgpath[4200], hosts[4200];
  json_t *cfg, *ms, *user, *gids;
  size_t i;
  int status;
  pid_t pid;
  char *text;
  memset(res, 0, sizeof(*res));
  res->exit_code = -1;
  /* the root: mounted here, in mdock's own mount namespace */
  if(!mdk_rt_overlay_opts(sp, opts, sizeof(opts))) {
    snprintf(res->error, sizeof(res->error),
             "overlay mount: %zu layers are too many for one mount",
             sp->nlowers);
    return MDK_EIO;
  }
  if(mount("overlay", sp->merged, "overlay", 0, opts)) {
    snprintf(res->error, sizeof(res->error), "overlay mount: %s",
             strerror(errno));
    return MDK_EIO;
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
  snprintf(hosts, sizeof(hosts), "%s/hosts", bundle);
  {
    FILE *f = fopen(hosts, "w");
    if(f) {
      fprintf(f, "127.0.0.1\tlocalhost %s\n::1\tlocalhost\n",
              sp->hostname ? sp->hostname : "localhost");
      fclose(f);
    }
  }
  ms = json_array();
  add_mount(ms, "/proc", "proc", "proc", NULL);
  add_mount(ms, "/dev", "tmpfs", "tmpfs",
            (const char *const[]){"nosuid", "strictatime", "mode=755",
                                  "size=65536k", NULL});
  add_mount(ms, "/dev/pts", "devpts", "devpts",
            (const char *const[]){"nosuid", "noexec", "newinstance",
                                  "ptmxmode=0666", "mode=0620", NULL});
  add_mount(ms, "/dev/shm", "tmpfs", "shm",
            (const char *const[]){"nosuid", "noexec", "nodev", "mode=1777",
                                  "size=65536k", NULL});
  add_mount(ms, "/sys", "sysfs", "sysfs",
            (const char *const[]){"nosuid", "noexec", "nodev", "ro", NULL});
  add_mount(ms, "/etc/hosts", "bind", hosts,
            (const char *const[]){"rbind", "rprivate", NULL});
  add_mount(ms, "/etc/resolv.conf", "bind",
            access("/etc/resolv.conf", R_OK) == 0 && sp->host_network
              ? "/etc/resolv.conf" : hosts,
            (const char *const[]){"rbind", "ro", "rprivate", NULL});
  for(i = 0; i < sp->nmounts; i++) {
    const struct mdk_rt_mount *m = &sp->mounts[i];
    if(m->type == MDK_RT_TMPFS)
      add_mount(ms, m->target, "tmpfs", "tmpfs",
                (const char *const[]){"nosuid", "nodev", "mode=1777", NULL});
    else if(m->scratch && !m->file) {
      /* writable in the step, the source unchanged: an overlay made here,
       * bound in (the runtime sees an ordinary directory) */
      char up[4200], wk[4200], mp[4200], o2[12800];
      snprintf(up, sizeof(up), "%s/upper", m->scratch);
      snprintf(wk, sizeof(wk), "%s/work", m->scratch);
      snprintf(mp, sizeof(mp), "%s/merged", m->scratch);
      mkdir(m->scratch, 0700);
      mkdir(up, 0755);
      mkdir(wk, 0700);
      mkdir(mp, 0755);
      snprintf(o2, sizeof(o2), "lowerdir=%s,upperdir=%s,workdir=%s",
               m->source, up, wk);
      if(mount("overlay", mp, "overlay", 0, o2)) {
        snprintf(res->error, sizeof(res->error), "overlay for %s: %s",
                 m->target, strerror(errno));
        json_decref(ms);
        unmount_scratch(sp, i);
        umount2(sp->merged, MNT_DETACH);
        return MDK_EIO;
      }
      add_mount(ms, m->target, "bind", mp,
                (const char *const[]){"rbind", "rw", NULL});
    }
    else
      add_mount(ms, m->target, "bind", m->source,
                m->readonly ? (const char *const[]){"rbind", "ro", NULL}
                            : (const char *const[]){"rbind", "rw", NULL});
  }
  gids = json_array();
  for(i = 0; i < sp->ngroups; i++)
    json_array_append_new(gids, json_integer(sp->groups[i]));
  user = json_pack("{s:I,s:I,s:o}", "uid", (json_int_t)sp->uid, "gid",
                   (json_int_t)sp->gid, "additionalGids", gids);
  cfg = json_pack(
    "{s:s,s:{s:b,s:o,s:o,s:o,s:s,s:{s:o,s:o,s:o,s:o},s:b},s:{s:s,s:b},"
    "s:s,s:o,s:{s:o,s:[s,s,s,s,s,s,s,s],s:[s,s,s,s,s]}}",
    "ociVersion", "1.0.2",
    "process", "terminal", 0, "user", user, "args", str_list(sp->argv),
    "env", str_list(sp->env), "cwd", sp->cwd ? sp->cwd : "/",
    "capabilities", "bounding", str_list(caps), "effective", str_list(caps),
    "permitted", str_list(caps), "ambient", json_array(),
    "noNewPrivileges", 0,
    "root", "path", sp->merged, "readonly", 0,
    "hostname", sp->hostname ? sp->hostname : "mdock",
    "mounts", ms,
    "linux", "namespaces", json_array(),
    "maskedPaths", "/proc/acpi", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
    "/proc/sched_debug", "/sys/firmware",
    "readonlyPaths", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
    "/proc/sysrq-trigger");
  {
    json_t *ns = json_object_get(json_object_get(cfg, "linux"), "namespaces");
    static const char *const kinds[] = {"pid", "ipc", "uts", "mount", NULL};
    for(i = 0; kinds[i]; i++)
      json_array_append_new(ns, json_pack("{s:s}", "type", kinds[i]));
    if(!sp->host_network)
      json_array_append_new(ns, json_pack("{s:s}", "type", "network"));
  }
  snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", bundle);
  text = json_dumps(cfg, JSON_INDENT(1));
  json_decref(cfg);
  {
    FILE *f = fopen(cfgpath, "w");
    if(!f || !text || fputs(text, f) < 0) {
      if(f)
        fclose(f);
      free(text);
      unmount_scratch(sp, sp->nmounts);
      umount2(sp->merged, MNT_DETACH);
      snprintf(res->error, sizeof(res->error), "cannot write %.400s",
               cfgpath);
      return MDK_EIO;
    }
    fclose(f);
  }
  free(text);
  /* a container name: "mdock-PID-N" */
  {
    char t[48];
    mdk_temp_name(t, sizeof(t), ".", "mdock");
    snprintf(id, sizeof(id), "%s", t + 2);
  }
  pid = fork();
  if(pid == 0) {
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    dup2(nul >= 0 ? nul : 0, 0);
    dup2(sp->out_fd, 1);
    dup2(sp->err_fd >= 0 ? sp->err_fd : sp->out_fd, 2);
    execlp(runtime, runtime, "run", "--bundle", bundle, id, (char *)NULL);
    fprintf(stderr, "cannot run %s: %s\n", runtime, strerror(errno));
    _exit(127);
  }
  if(pid < 0 || waitpid(pid, &status, 0) < 0) {
    snprintf(res->error, sizeof(res->error), "cannot start %s: %s", runtime,
             strerror(errno));
    unmount_scratch(sp, sp->nmounts);
    umount2(sp->merged, MNT_DETACH);
    return MDK_EIO;
  }
  res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
  /* a leftover container (a runtime that died) must not stay behind */
  pid = fork();
  if(pid == 0) {
    int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
    dup2(nul, 1);
    dup2(nul, 2);
    execlp(runtime, runtime, "delete", "--force", id, (char *)NULL);
    _exit(0);
  }
  if(pid > 0)
    waitpid(pid, &status, 0);
  unmount_scratch(sp, sp->nmounts);
  if(umount2(sp->merged, 0) && umount2(sp->merged, MNT_DETACH))
    snprintf(res->error, sizeof(res->error), "cannot unmount %s: %s",
             sp->merged, strerror(errno));
  return res->error[0] ? MDK_EIO : MDK_OK;
}
