/* run_step.c - one RUN op: its root is the image's layers (snapshots) under
 * a fresh upper dir; the runtime runs it; the upper dir becomes the layer
 * (overlay whiteouts -> .wh. entries), minus the mount points the runtime
 * had to make. */
#include "backend/run_step.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/base.h"
#include "runtime/runtime.h"
#include "store/store.h"

static const char default_path[] = "PATH=" MDK_DEFAULT_PATH;

static char *vstr(struct mdk_arena *a, const struct mdk_ir_field *f,
                  size_t i)
{
  return f && i < f->nvals ? mdk_arena_strndup(a, f->vals[i].ptr,
                                                f->vals[i].len)
                           : NULL;
}

/* The step's environment: the image's Env, then the op's ARG/ENV scope,
 * later keys replacing earlier ones; PATH defaults as in BuildKit. */
static const char **env_override(struct mdk_arena *a, const char **env,
                                 const char *const *over, size_t nover);

static const char **step_env(struct mdk_arena *a, const struct mdk_be_image *im,
                             const struct mdk_ir_op *op)
{
  json_t *ie = json_object_get(json_object_get(im->config, "config"), "Env");
  const struct mdk_ir_field *of = op ? mdk_ir_op_get(op, MDK_IR_F_ENV) : NULL;
  size_t cap = json_array_size(ie) + (of ? of->nvals : 0) + 2, n = 0, i, k;
  const char **env = mdk_arena_array(a, const char *, cap);
  bool path = false;
  for(i = 0; i < json_array_size(ie) + (of ? of->nvals : 0); i++) {
    const char *kv = i < json_array_size(ie)
                       ? json_string_value(json_array_get(ie, i))
                       : vstr(a, of, i - json_array_size(ie));
    const char *eq = kv ? strchr(kv, '=') : NULL;
    size_t kl;
    if(!eq)
      continue;
    kl = (size_t)(eq - kv);
    for(k = 0; k < n; k++)
      if(strncmp(env[k], kv, kl + 1) == 0)
        break;
    env[k] = mdk_arena_strndup(a, kv, strlen(kv));
    if(k == n)
      n++;
    if(kl == 4 && strncmp(kv, "PATH", 4) == 0)
      path = true;
  }
  if(!path)
    env[n++] = default_path;
  env[n] = NULL;
  return env;
}

/* HOME from the user's passwd entry (or "/"), as runc sets it, when the
 * image and the Dockerfile leave it unset. */
static const char **with_home(struct mdk_arena *a, const char **env,
                              int rootfd, uint32_t uid)
{
  size_t n = 0, i;
  char home[1024];
  const char **out;
  for(n = 0; env[n]; n++)
    if(strncmp(env[n], "HOME=", 5) == 0)
      return env;
  mdk_rt_user_home(rootfd, uid, home, sizeof(home));
  out = mdk_arena_array(a, const char *, n + 2);
  for(i = 0; i < n; i++)
    out[i] = env[i];
  out[n] = mdk_arena_printf(a, "HOME=%s", home);
  out[n + 1] = NULL;
  return out;
}

/* Finds the layer dir (topmost first) that holds etc/passwd, for names. */
static int passwd_root(const char **lowers, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    char p[4200];
    struct stat sb;
    snprintf(p, sizeof(p), "%s/etc/passwd", lowers[i]);
    if(lstat(p, &sb) == 0)
      return open(lowers[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  return -1;
}

static bool dir_empty(const char *path)
{
  DIR *d = opendir(path);
  struct dirent *de;
  bool empty = true;
  if(!d)
    return true;
  while((de = readdir(d)))
    if(strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
      empty = false;
      break;
    }
  closedir(d);
  return empty;
}

/* Making a mount point copies its parent directories up into the upper
 * dir; a copied-up directory left empty and as it is in the layers below
 * (same mode and owner, not opaque) is no change of the step's. */
static void drop_copied_up(struct mdk_arena *a, const char *upper,
                           const char **lowers, size_t nl, const char *stub)
{
  char path[4200];
  char *slash;
  snprintf(path, sizeof(path), "%s", stub);
  while((slash = strrchr(path, '/')) && slash != path) {
    char *up;
    struct stat us, ls;
    size_t i;
    bool same = false;
    *slash = '\0';
    up = mdk_arena_printf(a, "%s%s", upper, path);
    if(lstat(up, &us) != 0 || !S_ISDIR(us.st_mode) || !dir_empty(up) ||
       mdk_userns_dir_opaque(up))
      return;
    for(i = 0; i < nl; i++) {
      char *lp = mdk_arena_printf(a, "%s%s", lowers[i], path);
      if(lstat(lp, &ls) == 0) {
        same = S_ISDIR(ls.st_mode) &&
               (ls.st_mode & 07777) == (us.st_mode & 07777) &&
               ls.st_uid == us.st_uid && ls.st_gid == us.st_gid;
        break;
      }
    }
    if(!same || rmdir(up) != 0)
      return;
  }
}

/* overlay needs a lower dir: an empty one (under dir) for FROM scratch */
static const char **nonempty_lowers(struct mdk_arena *a, const char **lowers,
                                    size_t *nl, const char *dir)
{
  const char **one;
  if(*nl)
    return lowers;
  one = mdk_arena_array(a, const char *, 2);
  one[0] = mdk_arena_printf(a, "%s/empty", dir);
  mkdir(one[0], 0755);
  *nl = 1;
  return one;
}

/* The process's user (uid, gid, supplementary groups) from the image's
 * own /etc/passwd and /etc/group, and HOME when env lacks one.  groups has
 * room for 64. */
static enum mdk_status step_user(struct mdk_arena *a, struct mdk_rt_spec *sp,
                                 const char **lowers, size_t nl,
                                 const char *user, gid_t *groups,
                                 const char ***env, struct mdk_err *e)
{
  size_t ngroups = 0;
  int pfd = passwd_root(lowers, nl);
  enum mdk_status st = MDK_OK;
  if(user && *user)
    st = mdk_rt_user_resolve_run(pfd, user, &sp->uid, &sp->gid, groups + 1,
                                 &ngroups, 63, e);
  if(!st) {
    groups[0] = sp->gid;
    sp->groups = groups;
    sp->ngroups = ngroups + 1;
    *env = with_home(a, *env, pfd, sp->uid);
  }
  if(pfd >= 0)
    close(pfd);
  return st;
}

/* The last lines of the step's output, for the error message. */
static char *tail_of(struct mdk_arena *a, const char *log, int lines)
{
  FILE *f = fopen(log, "r");
  char buf[8192];
  long size, off;
  size_t n;
  char *p;
  int seen = 0;
  if(!f)
    return mdk_arena_strndup(a, "", 0);
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  off = size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0;
  fseek(f, off, SEEK_SET);
  n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  while(n && buf[n - 1] == '\n')
    buf[--n] = '\0';
  for(p = buf + n; p > buf; p--)
    if(p[-1] == '\n' && ++seen == lines)
      break;
  return mdk_arena_strndup(a, p, strlen(p));
}

/* --add-host HOST:IP entries as /etc/hosts lines, or NULL */
/* --add-host NAME=IP lines; IP "host-gateway" (docker's word for the
 * host as the step reaches it) is slirp4netns's gateway, which leads to
 * the host's loopback, or the loopback itself on the host's network */
static const char *extra_hosts(struct mdk_arena *a,
                               const struct mdk_ir_field *f,
                               enum mdk_rt_netmode mode)
{
  struct mdk_buf b;
  const char *out;
  size_t i;
  if(!f || !f->nvals)
    return NULL;
  mdk_buf_init(&b, 1 << 20);
  for(i = 0; i < f->nvals; i++) {
    struct mdk_str v = f->vals[i];
    long sep = mdk_str_index(v, '=');
    if(sep < 0)
      sep = mdk_str_index(v, ':');
    struct mdk_str ip = sep > 0 ? mdk_str_make(v.ptr + sep + 1,
                                               v.len - (size_t)sep - 1)
                                : v;
    if(sep > 0 && mdk_str_eq_c(ip, "host-gateway"))
      ip = mdk_str_c(mode == MDK_RT_NET_SLIRP ? MDK_RT_SLIRP_HOST
                                              : "127.0.0.1");
    if(sep > 0)
      mdk_buf_printf(&b, "%.*s\t%.*s\n", (int)ip.len, ip.ptr, (int)sep,
                     v.ptr);
  }
  out = mdk_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
  mdk_buf_free(&b);
  return out;
}

static long num(const char *v, int base, long dflt)
{
  char *end;
  long n;
  if(!v || !*v)
    return dflt;
  n = strtol(v, &end, base);
  return *end ? dflt : n;
}

bool mdk_be_secret_parse(struct mdk_arena *a, const char *spec,
                         struct mdk_be_secret *out, const char **why)
{
  char *c = mdk_arena_strndup(a, spec, strlen(spec)), *kv, *sv;
  out->id = out->src = out->env = NULL;
  for(kv = strtok_r(c, ",", &sv); kv; kv = strtok_r(NULL, ",", &sv)) {
    if(strncmp(kv, "id=", 3) == 0)
      out->id = kv + 3;
    else if(strncmp(kv, "src=", 4) == 0 || strncmp(kv, "source=", 7) == 0)
      out->src = strchr(kv, '=') + 1;
    else if(strncmp(kv, "env=", 4) == 0)
      out->env = kv + 4;
    else if(strncmp(kv, "type=", 5) != 0) {
      *why = mdk_arena_printf(a, "--secret takes id=ID,src=FILE or "
                              "id=ID,env=VAR, not '%s'", spec);
      return false;
    }
  }
  if(!out->id) {
    *why = "--secret needs id= (e.g. id=npm,src=~/.npmrc)";
    return false;
  }
  if(!out->src && !out->env)
    out->env = out->id;         /* Docker: id alone reads that variable */
  return true;
}

enum mdk_status mdk_be_secret_read(const struct mdk_be_secret *sec,
                                   struct mdk_buf *b, struct mdk_err *e)
{
  mdk_buf_init(b, 1 << 20);
  if(sec->src) {
    FILE *sf = fopen(sec->src, "rb");
    char chunk[4096];
    size_t got;
    if(!sf) {
      mdk_buf_free(b);
      return mdk_fail(e, MDK_EINPUT, "secret %s: cannot read %s: %s",
                         sec->id, sec->src, strerror(errno));
    }
    while((got = fread(chunk, 1, sizeof(chunk), sf)) > 0)
      mdk_buf_append(b, chunk, got);
    fclose(sf);
  }
  else if(sec->env && getenv(sec->env)) {
    mdk_buf_puts(b, getenv(sec->env));
  }
  return MDK_OK;
}

static const struct mdk_be_secret *find_secret(const struct mdk_be_run_ctx *rc,
                                               const char *id)
{
  size_t i;
  for(i = 0; rc && i < rc->nsecrets; i++)
    if(strcmp(rc->secrets[i].id, id) == 0)
      return &rc->secrets[i];
  return NULL;
}

/* A cache mount's directory in the store, made on first use. */
static char *cache_dir(struct mdk_be_store *s, struct mdk_arena *a,
                       const struct mdk_ir_mount *m, int *lockfd,
                       struct mdk_err *e)
{
  struct mdk_sha256 h;
  uint8_t raw[32];
  mdk_digest d;
  const char *id = m->id ? m->id : m->target;
  char *dir, *lock;
  struct stat sb;
  mdk_sha256_init(&h);
  mdk_sha256_update(&h, id, strlen(id));
  mdk_sha256_final(&h, raw);
  mdk_digest_from_raw(raw, d);
  dir = mdk_arena_printf(a, "%s/cache-mounts/%s", s->root, d + 7);
  if(stat(dir, &sb) != 0) {
    char *tmp = mdk_arena_printf(a, "%s.new.%ld", dir, (long)getpid());
    if(mkdir(tmp, (mode_t)num(m->mode, 8, 0755)) == 0) {
      if(chown(tmp, (uid_t)num(m->uid, 10, 0), (gid_t)num(m->gid, 10, 0)) ||
         chmod(tmp, (mode_t)num(m->mode, 8, 0755)) || rename(tmp, dir))
        rmdir(tmp);
    }
    if(stat(dir, &sb) != 0) {
      mdk_fail(e, MDK_EIO, "cannot create the cache mount %s: %s", dir,
                  strerror(errno));
      return NULL;
    }
  }
  /* sharing=locked (and private, which has no copies here): one step at a
   * time; shared: no lock */
  *lockfd = -1;
  if(m->sharing && strcmp(m->sharing, "shared") != 0) {
    lock = mdk_arena_printf(a, "%s.lock", dir);
    *lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if(*lockfd >= 0)
      flock(*lockfd, LOCK_EX);
  }
  return dir;
}

/* RUN --mount=... as runtime mounts (and env for secrets/ssh). */
static enum mdk_status plan_mounts(struct mdk_be_store *s, struct mdk_arena *a,
                                   const struct mdk_ir_op *op,
                                   const struct mdk_be_run_ctx *rc,
                                   const char *base, const char *cwd,
                                   struct mdk_rt_mount *mounts, size_t *nm,
                                   size_t max, const char ***env,
                                   int *locks, size_t *nlocks,
                                   struct mdk_err *e)
{
  size_t i, nenv = 0;
  const char **extra;
  for(; (*env)[nenv]; nenv++)
    ;
  extra = mdk_arena_array(a, const char *, nenv + op->nmounts + 2);
  memcpy(extra, *env, nenv * sizeof(*extra));
  for(i = 0; i < op->nmounts && *nm < max; i++) {
    struct mdk_rt_mount *mt = &mounts[*nm];
    const struct mdk_ir_mount *m = &op->mounts[i];
    const char *target = m->target;
    memset(mt, 0, sizeof(*mt));
    if(target && target[0] != '/')
      target = mdk_arena_printf(a, "%s/%s", cwd, target);
    if(m->type == MDK_IR_MOUNT_BIND) {
      const char *root = rc ? rc->context : ".";
      char phys[4096];
      int rfd;
      if(m->from) {
        int si = m->from_stage;
        if(si < 0 || !rc || !rc->stage_root ||
           !(root = rc->stage_root(rc->ctx, si, e)))
          return si < 0 ? mdk_fail(e, MDK_EINPUT, "RUN --mount from=%s: "
                                      "mount sources from images are not "
                                      "supported yet (name a stage)", m->from)
                        : MDK_EINPUT;
      }
      rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if(rfd < 0 || !mdk_resolve_in_root(rfd, m->source ? m->source : "/",
                                            phys, sizeof(phys))) {
        if(rfd >= 0)
          close(rfd);
        return mdk_fail(e, MDK_EINPUT, "RUN --mount source %s cannot be "
                           "resolved", m->source ? m->source : "/");
      }
      {
        struct stat sb;
        char absroot[4096];
        char *host;
        /* absolute: an OCI runtime resolves relative sources in its
         * bundle */
        if(!realpath(root, absroot))
          snprintf(absroot, sizeof(absroot), "%s", root);
        host = mdk_arena_printf(a, "%s/%s", absroot, phys);
        if(stat(host, &sb) != 0) {
          close(rfd);
          return mdk_fail(e, MDK_EINPUT, "RUN --mount source %s does not "
                             "exist", m->source ? m->source : "/");
        }
        close(rfd);
        mt->type = MDK_RT_BIND;
        mt->source = host;
        mt->file = !S_ISDIR(sb.st_mode);
        mt->readonly = !m->readwrite;
        /* rw: writable in the step, the source never changes */
        if(m->readwrite && !mt->file)
          mt->scratch = mdk_arena_printf(a, "%s/mount-%zu", base, i);
      }
      mt->target = target ? target : "/";
      (*nm)++;
    }
    else if(m->type == MDK_IR_MOUNT_CACHE) {
      int lf = -1;
      char *dir;
      if(!target)
        return mdk_fail(e, MDK_EINPUT, "a cache mount needs target=");
      dir = cache_dir(s, a, m, &lf, e);
      if(!dir)
        return MDK_EIO;
      if(lf >= 0 && *nlocks < 16)
        locks[(*nlocks)++] = lf;
      mt->type = MDK_RT_BIND;
      mt->source = dir;
      mt->target = target;
      mt->readonly = m->readonly;
      (*nm)++;
    }
    else if(m->type == MDK_IR_MOUNT_TMPFS) {
      mt->type = MDK_RT_TMPFS;
      mt->target = target ? target : "/tmp";
      mt->options = m->size ? mdk_arena_printf(a, "size=%s", m->size) : NULL;
      (*nm)++;
    }
    else if(m->type == MDK_IR_MOUNT_SECRET) {
      const char *id = m->id ? m->id : m->source;
      const struct mdk_be_secret *sec;
      char *copy;
      int fd;
      if(!id && target) {
        const char *sl = strrchr(target, '/');
        id = sl ? sl + 1 : target;
      }
      sec = id ? find_secret(rc, id) : NULL;
      if(!sec) {
        if(m->required)
          return mdk_fail(e, MDK_EINPUT, "secret %s is required but was "
                             "not given (mdock build --secret id=%s,src=FILE)",
                             id ? id : "?", id ? id : "ID");
        continue;
      }
      {
        /* the value, from a file or the builder's environment */
        struct mdk_buf b;
        if(mdk_be_secret_read(sec, &b, e))
          return MDK_EINPUT;
        if(m->env) {
          /* as an environment variable of this step only */
          extra[nenv++] = mdk_arena_printf(a, "%s=%.*s", m->env, (int)b.len,
                                           b.ptr ? b.ptr : "");
          mdk_buf_free(&b);
          if(!target)
            continue;
        }
        copy = mdk_arena_printf(a, "%s/secret-%zu", base, i);
        fd = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0400);
        if(fd < 0 || (b.len && write(fd, b.ptr, b.len) != (ssize_t)b.len)) {
          if(fd >= 0)
            close(fd);
          mdk_buf_free(&b);
          return mdk_fail(e, MDK_EIO, "cannot stage secret %s", id);
        }
        close(fd);
        mdk_buf_free(&b);
      }
      (void)chown(copy, (uid_t)num(m->uid, 10, 0), (gid_t)num(m->gid, 10, 0));
      (void)chmod(copy, (mode_t)num(m->mode, 8, 0400));
      mt->type = MDK_RT_BIND;
      mt->source = copy;
      mt->file = true;
      mt->readonly = true;
      mt->target = target ? target
                            : mdk_arena_printf(a, "/run/secrets/%s", id);
      (*nm)++;
    }
    else if(m->type == MDK_IR_MOUNT_SSH) {
      /* only an agent the build was given (--ssh), as BuildKit: never
       * the environment's on its own */
      const struct mdk_be_ssh *ag = rc ? mdk_be_ssh_find(rc->ssh, rc->nssh,
                                                         m->id) : NULL;
      const char *sid = m->id ? m->id : "default";
      if(!ag || access(ag->socket, F_OK) != 0) {
        if(m->required)
          return mdk_fail_hint(e, mdk_fail(e, MDK_EINPUT, "RUN --mount="
                                           "type=ssh: no SSH agent %s was "
                                           "given to the build", sid),
                               mdk_arena_printf(a, "build with --ssh %s "
                                                "(the agent of $SSH_AUTH_SOCK)"
                                                " or --ssh %s=SOCKET|KEY",
                                                sid, sid));
        continue;
      }
      mt->type = MDK_RT_BIND;
      mt->source = ag->socket;
      mt->file = true;
      mt->target = target ? target : "/run/buildkit/ssh_agent.0";
      extra[nenv++] = mdk_arena_printf(a, "SSH_AUTH_SOCK=%s", mt->target);
      (*nm)++;
    }
  }
  extra[nenv] = NULL;
  *env = extra;
  return MDK_OK;
}

/* the image's binaries are for the platform its config says: run them
 * natively, under emulation, or not at all */
struct plat_check {
  int elf_machine;
  const char *platform;
};

static enum mdk_status platform_ready(struct mdk_arena *a,
                                      const struct mdk_be_image *im,
                                      struct plat_check *pc,
                                      struct mdk_err *e)
{
  struct mdk_platform p;
  char pb[100];
  memset(pc, 0, sizeof(*pc));
  if(!mdk_be_image_platform(im, &p))
    return MDK_OK;              /* a config that says none: as the host */
  /* and the program run must be one of the platform's (the runtime checks
   * it in the root, before exec) */
  pc->elf_machine = mdk_platform_elf_machine(&p);
  mdk_platform_str(&p, pb, sizeof(pb));
  pc->platform = mdk_arena_strndup(a, pb, strlen(pb));
  return mdk_rt_platform_ready(&p, e);
}

enum mdk_status mdk_be_run_step(struct mdk_be_store *s, struct mdk_arena *a,
                                const struct mdk_be_image *im,
                                const struct mdk_ir_op *op, const char *work,
                                const struct mdk_be_layer_opts *lo,
                                const struct mdk_be_run_ctx *rc,
                                const char **log_path,
                                struct mdk_be_layer_desc *d, bool *made,
                                struct mdk_err *e)
{
  char why[256];
  const struct mdk_ir_field *cmd = mdk_ir_op_get(op, MDK_IR_F_CMD);
  const char **lowers = NULL, **argv, **env;
  size_t nl = mdk_be_image_nlayers(im), i;
  char *base, *upper, *ovwork, *merged, *log, *user, *cwd, *net;
  struct mdk_rt_spec sp;
  struct plat_check sp_plat;
  struct mdk_rt_result res;
  struct mdk_rt_mount mounts[32];
  size_t nmounts = 0, nlocks = 0, li;
  int locks[16];
  gid_t groups[64];
  enum mdk_status st;
  int logfd;
  json_t *cfg = json_object_get(im->config, "config");

  *made = false;
  if(!mdk_rt_available(why, sizeof(why)))
    return mdk_fail(e, MDK_EINPUT, "%s", why);
  if(!cmd || !cmd->nvals)
    return mdk_fail(e, MDK_EINPUT, "RUN has no command");
  if((st = platform_ready(a, im, &sp_plat, e)))
    return st;
  st = mdk_be_snapshots(s, a, im, nl, &lowers, e);
  if(st)
    return st;
  {
    char name[4300];
    base = mdk_arena_printf(a, "%s", mdk_temp_name(name, sizeof(name), work, "run"));
  }
  upper = mdk_arena_printf(a, "%s/upper", base);
  ovwork = mdk_arena_printf(a, "%s/work", base);
  merged = mdk_arena_printf(a, "%s/merged", base);
  log = mdk_arena_printf(a, "%s/log", base);
  *log_path = NULL;
  if(mkdir(base, 0700) || mkdir(upper, 0755) || mkdir(ovwork, 0700) ||
     mkdir(merged, 0755))
    return mdk_fail(e, MDK_EIO, "cannot create %s: %s", base,
                       strerror(errno));
  lowers = nonempty_lowers(a, lowers, &nl, base);
  argv = mdk_arena_array(a, const char *, cmd->nvals + 1);
  for(i = 0; i < cmd->nvals; i++)
    argv[i] = vstr(a, cmd, i);
  env = step_env(a, im, op);
  if(rc->nsecret_env)
    env = env_override(a, env, rc->secret_env, rc->nsecret_env);
  /* a shebang heredoc is a file the step executes */
  if(mdk_ir_op_get(op, MDK_IR_F_FILE)) {
    char *path = vstr(a, mdk_ir_op_get(op, MDK_IR_F_FILE), 0);
    char *body = vstr(a, mdk_ir_op_get(op, MDK_IR_F_FILE_CONTENT), 0);
    char *host = mdk_arena_printf(a, "%s/heredoc", base);
    int fd = open(host, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if(fd < 0 || write(fd, body, strlen(body)) != (ssize_t)strlen(body)) {
      if(fd >= 0)
        close(fd);
      return mdk_fail(e, MDK_EIO, "cannot write the heredoc script");
    }
    close(fd);
    chmod(host, 0755);
    mounts[nmounts].type = MDK_RT_BIND;
    mounts[nmounts].source = host;
    mounts[nmounts].target = path;
    mounts[nmounts].readonly = true;
    mounts[nmounts].file = true;
    nmounts++;
  }
  user = vstr(a, mdk_ir_op_get(op, MDK_IR_F_USER), 0);
  if(!user || !*user)
    user = (char *)json_string_value(json_object_get(cfg, "User"));
  cwd = vstr(a, mdk_ir_op_get(op, MDK_IR_F_WORKDIR), 0);
  if(!cwd || !*cwd)
    cwd = (char *)json_string_value(json_object_get(cfg, "WorkingDir"));
  net = vstr(a, mdk_ir_op_get(op, MDK_IR_F_NETWORK), 0);
  memset(&sp, 0, sizeof(sp));
  sp.elf_machine = sp_plat.elf_machine;
  sp.platform = sp_plat.platform;
  if((st = step_user(a, &sp, lowers, nl, user, groups, &env, e)))
    return st;
  {
    const char *sec = vstr(a, mdk_ir_op_get(op, MDK_IR_F_SECURITY), 0);
    if(sec && strcmp(sec, "insecure") == 0 && !(rc && rc->allow_insecure))
      return mdk_fail(e, MDK_EINPUT, "RUN --security=insecure needs "
                         "`mdock build --allow security.insecure`");
  }
  st = plan_mounts(s, a, op, rc, base, cwd && *cwd ? cwd : "", mounts,
                   &nmounts, sizeof(mounts) / sizeof(mounts[0]), &env, locks,
                   &nlocks, e);
  if(st) {
    for(li = 0; li < nlocks; li++)
      close(locks[li]);
    return st;
  }
  logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  *log_path = log;
  if(logfd >= 0 && rc && rc->log_open)
    rc->log_open(rc->log_ud, log);
  if(logfd < 0)
    return mdk_fail(e, MDK_EIO, "cannot create %s: %s", log,
                       strerror(errno));
  sp.lowers = lowers;
  sp.nlowers = nl;
  sp.upper = upper;
  sp.work = ovwork;
  sp.merged = merged;
  sp.argv = argv;
  sp.env = env;
  sp.cwd = cwd && *cwd ? cwd : "/";
  /* a network namespace of its own: with slirp4netns's way out by
   * default, loopback only for "none"; "host" shares the host's */
  {
    const char *notice = NULL;
    if(!mdk_rt_net_mode(net, &sp.network, &notice)) {
      close(logfd);
      return mdk_fail(e, MDK_EINPUT, "RUN --network=%s: not a network "
                         "mode (default, host or none)", net);
    }
    if(notice)                  /* once per build, in the step's output */
      dprintf(logfd, "mdock: note: RUN steps share the host's network: "
              "%s\n", notice);
    /* (the one-ID warning: cmd_build.c, before the build's output) */
    notice = NULL;
    sp.overlay = mdk_rt_overlay_kind(work, &notice);
    if(notice)
      dprintf(logfd, "mdock: note: %s\n", notice);
  }
  sp.extra_hosts = extra_hosts(a, mdk_ir_op_get(op, MDK_IR_F_ADD_HOST),
                               sp.network);
  {
    /* docker build --shm-size and --ulimit, checked when they were given */
    const struct mdk_ir_field *shm = mdk_ir_op_get(op, MDK_IR_F_SHM_SIZE);
    const struct mdk_ir_field *ul = mdk_ir_op_get(op, MDK_IR_F_ULIMIT);
    struct mdk_rt_ulimit *u = NULL;
    size_t k, nu = 0;
    if(shm && shm->nvals)
      sp.shm_size = strtoull(mdk_arena_strndup(a, shm->vals[0].ptr,
                                               shm->vals[0].len), NULL, 10);
    if(ul && ul->nvals) {
      u = mdk_arena_array(a, struct mdk_rt_ulimit, ul->nvals);
      for(k = 0; k < ul->nvals; k++) {
        const char *bad;
        if(mdk_rt_ulimit_parse(mdk_arena_strndup(a, ul->vals[k].ptr,
                                                 ul->vals[k].len),
                               &u[nu], &bad))
          nu++;
      }
    }
    sp.ulimits = u;
    sp.nulimits = nu;
  }
  sp.hostname = "buildkitsandbox";
  sp.mounts = mounts;
  sp.nmounts = nmounts;
  sp.out_fd = logfd;
  sp.err_fd = -1;
  sp.in_fd = -1;
  if(rc && rc->oci_runtime) {
    char *bundle = mdk_arena_printf(a, "%s/bundle", base);
    mkdir(bundle, 0700);
    st = mdk_rt_run_oci(rc->oci_runtime, &sp, bundle, &res);
  }
  else {
    st = mdk_rt_run(&sp, &res);
  }
  close(logfd);
  for(li = 0; li < nlocks; li++)
    close(locks[li]);
  if(st || res.exec_error[0])
    return mdk_fail(e, MDK_EIO, "RUN could not start: %s",
                    res.exec_error[0] ? res.exec_error
                    : res.error[0] ? res.error : "runtime error");
  if(res.exit_code != 0) {
    char *t = tail_of(a, log, 8);
    mdk_fail(e, MDK_EINPUT, "RUN %s exited with code %d%s%s",
             argv[cmd->nvals - 1], res.exit_code,
             *t ? "; its last output:\n" : "", t);
    /* one ID: chown and other users fail with EINVAL here, not as root */
    if(mdk_rt_userns_ids() == MDK_RT_IDS_SINGLE)
      return mdk_fail_hint(e, MDK_EINPUT, "this build is rootless with one "
                           "ID: only ID 0 exists in its steps; give your "
                           "user subordinate IDs (/etc/subuid, /etc/subgid) "
                           "or build as root");
    return MDK_EINPUT;
  }
  if(sp.overlay == MDK_RT_OVL_FUSE)
    mdk_rt_overlay_normalize(upper, lowers, nl);
  /* the runtime's own mount points are not the step's changes: deepest
   * first, and only when nothing was put in them */
  {
    char *lines[256], *save = NULL, *l;
    int nline = 0, k;
    for(l = strtok_r(res.mounts_text, "\n", &save); l && nline < 256;
        l = strtok_r(NULL, "\n", &save))
      lines[nline++] = l;
    for(k = nline - 1; k >= 0; k--) {
      char *p = mdk_arena_printf(a, "%s%s", upper, lines[k]);
      struct stat sb;
      if(lstat(p, &sb) != 0)
        continue;
      if(S_ISDIR(sb.st_mode)) {
        if(dir_empty(p))
          rmdir(p);
      }
      else if(sb.st_size == 0) {
        unlink(p);
      }
      drop_copied_up(a, upper, lowers, nl, lines[k]);
    }
  }
  if(dir_empty(upper))
    return MDK_OK;              /* no change: no layer */
  st = mdk_be_layer_from_dir(s, upper, lo, d, e);
  *made = st == MDK_OK;
  return st;
}

/* env with K=V overrides (a later K replaces an earlier one) */
static const char **env_override(struct mdk_arena *a, const char **env,
                                 const char *const *over, size_t nover)
{
  size_t n = 0, i, k;
  const char **out;
  while(env[n])
    n++;
  out = mdk_arena_array(a, const char *, n + nover + 1);
  memcpy(out, env, n * sizeof(*out));
  for(i = 0; i < nover; i++) {
    const char *eq = strchr(over[i], '=');
    size_t kl = eq ? (size_t)(eq - over[i]) : strlen(over[i]);
    for(k = 0; k < n; k++)
      if(strncmp(out[k], over[i], kl) == 0 && out[k][kl] == '=')
        break;
    out[k] = eq ? over[i] : mdk_arena_printf(a, "%s=", over[i]);
    if(k == n)
      n++;
  }
  out[n] = NULL;
  return out;
}

/* docker run -v SRC:DST[:ro] as bind mounts */
static enum mdk_status volumes(struct mdk_arena *a,
                               const struct mdk_be_run_opts *o,
                               struct mdk_rt_mount *m, size_t *nm,
                               struct mdk_err *e)
{
  size_t i;
  for(i = 0; i < o->nvolumes && *nm < 32; i++) {
    char *v = mdk_arena_strndup(a, o->volumes[i], strlen(o->volumes[i]));
    char *dst = strchr(v, ':'), *mode, real[4096];
    struct stat sb;
    if(!dst || dst == v || dst[1] != '/')
      return mdk_fail(e, MDK_EUSAGE, "-v takes /HOST/PATH:/PATH[:ro], not "
                      "'%s'", o->volumes[i]);
    *dst++ = '\0';
    mode = strchr(dst, ':');
    if(mode)
      *mode++ = '\0';
    if(!realpath(v, real) || stat(real, &sb))
      return mdk_fail(e, MDK_EUSAGE, "-v %s: %s", v, strerror(errno));
    memset(&m[*nm], 0, sizeof(m[*nm]));
    m[*nm].type = MDK_RT_BIND;
    m[*nm].source = mdk_arena_strndup(a, real, strlen(real));
    m[*nm].target = dst;
    m[*nm].file = !S_ISDIR(sb.st_mode);
    m[*nm].readonly = mode && strcmp(mode, "ro") == 0;
    (*nm)++;
  }
  return MDK_OK;
}

/* ENTRYPOINT (or --entrypoint), then the command given or the image's CMD
 * (docker: --entrypoint drops the image's CMD) */
static const char **run_argv(struct mdk_arena *a, json_t *cfg,
                             const struct mdk_be_run_opts *o, size_t *n)
{
  json_t *ep = json_object_get(cfg, "Entrypoint"), *dc = json_object_get(cfg,
                                                                         "Cmd");
  size_t i, cap = json_array_size(ep) + json_array_size(dc) + o->ncmd + 2;
  const char **argv = mdk_arena_array(a, const char *, cap);
  *n = 0;
  if(o->entrypoint) {
    if(*o->entrypoint)
      argv[(*n)++] = o->entrypoint;
  }
  else {
    for(i = 0; i < json_array_size(ep); i++)
      argv[(*n)++] = json_string_value(json_array_get(ep, i));
  }
  if(o->ncmd)
    for(i = 0; i < o->ncmd; i++)
      argv[(*n)++] = o->cmd[i];
  else if(!o->entrypoint)
    for(i = 0; i < json_array_size(dc); i++)
      argv[(*n)++] = json_string_value(json_array_get(dc, i));
  argv[*n] = NULL;
  return argv;
}

enum mdk_status mdk_be_run_image(struct mdk_be_store *s, struct mdk_arena *a,
                                 const struct mdk_be_image *im,
                                 const struct mdk_be_run_opts *o,
                                 const char *work, int *exit_code,
                                 struct mdk_err *e)
{
  json_t *cfg = json_object_get(im->config, "config");
  const char **lowers = NULL, **argv, **env;
  size_t nl = mdk_be_image_nlayers(im), n = 0, nm = 0;
  const char *user = o->user ? o->user
                             : json_string_value(json_object_get(cfg, "User"));
  const char *cwd = o->workdir ? o->workdir
                               : json_string_value(json_object_get(
                                   cfg, "WorkingDir"));
  char why[256];
  char *upper, *ovwork, *merged;
  struct mdk_rt_spec sp;
  struct plat_check sp_plat;
  struct mdk_rt_result res;
  struct mdk_rt_mount mounts[32];
  enum mdk_status st;
  gid_t groups[64];
  if(!mdk_rt_available(why, sizeof(why)))
    return mdk_fail(e, MDK_EINPUT, "%s", why);
  if((st = platform_ready(a, im, &sp_plat, e)))
    return st;
  st = mdk_be_snapshots(s, a, im, nl, &lowers, e);
  if(st)
    return st;
  lowers = nonempty_lowers(a, lowers, &nl, work);
  argv = run_argv(a, cfg, o, &n);
  if(!n)
    return mdk_fail(e, MDK_EUSAGE, "the image has no ENTRYPOINT or CMD: "
                       "give a command (mdock run IMAGE CMD...)");
  if((st = volumes(a, o, mounts, &nm, e)))
    return st;
  upper = mdk_arena_printf(a, "%s/upper", work);
  ovwork = mdk_arena_printf(a, "%s/work", work);
  merged = mdk_arena_printf(a, "%s/merged", work);
  if(mkdir(upper, 0755) || mkdir(ovwork, 0700) || mkdir(merged, 0755))
    return mdk_fail(e, MDK_EIO, "cannot create %s: %s", work,
                       strerror(errno));
  /* -w DIR that the image lacks is made (in the throwaway upper dir), as
   * docker makes it */
  if(o->workdir && o->workdir[0] == '/' && !strstr(o->workdir, "..")) {
    int err;
    (void)mdk_mkdir_p(mdk_arena_printf(a, "%s%s", upper, o->workdir), &err);
  }
  memset(&sp, 0, sizeof(sp));
  sp.elf_machine = sp_plat.elf_machine;
  sp.platform = sp_plat.platform;
  env = env_override(a, step_env(a, im, NULL), o->env, o->nenv);
  if((st = step_user(a, &sp, lowers, nl, user, groups, &env, e)))
    return st;
  sp.lowers = lowers;
  sp.nlowers = nl;
  sp.upper = upper;
  sp.work = ovwork;
  sp.merged = merged;
  sp.argv = argv;
  sp.env = env;
  sp.cwd = cwd && *cwd ? cwd : "/";
  {
    const char *notice = NULL;
    if(!mdk_rt_net_mode(o->network, &sp.network, &notice))
      return mdk_fail(e, MDK_EINPUT, "--network=%s: not a network mode "
                         "(default, host or none)", o->network);
    if(notice)
      fprintf(stderr, "mdock: note: the container shares the host's "
              "network: %s\n", notice);
    if((notice = mdk_rt_userns_notice()))
      fprintf(stderr, "mdock: warning: %s\n", notice);
    notice = NULL;
    sp.overlay = mdk_rt_overlay_kind(work, &notice);
    if(notice && sp.overlay == MDK_RT_OVL_COPY)   /* slow: say why */
      fprintf(stderr, "mdock: note: %s\n", notice);
  }
  sp.hostname = o->hostname ? o->hostname : "mdock";
  sp.mounts = mounts;
  sp.nmounts = nm;
  sp.out_fd = o->out_fd;
  sp.err_fd = o->err_fd;
  sp.in_fd = o->in_fd;
  sp.tty = o->tty;
  st = mdk_rt_run(&sp, &res);
  if(st)
    return mdk_fail(e, MDK_EIO, "cannot run the image: %s",
                       res.error[0] ? res.error : "runtime error");
  if(res.exec_error[0])
    fprintf(stderr, "mdock: error: %s\n", res.exec_error);
  *exit_code = res.exit_code;
  return MDK_OK;
}
