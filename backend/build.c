/* build.c - see build.h. */
#include "backend/build.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "backend/copy.h"
#include "backend/git.h"
#include "registry/registry.h"
#include "backend/progress.h"
#include "backend/run_step.h"
#include "runtime/runtime.h"

struct stage_run {
  struct mdk_be_image im;
  bool built;
  bool forced;                  /* a step of it (or of its base) was forced */
  char *rootfs;                 /* work dir, when materialized */
  size_t applied;               /* layers of im unpacked into rootfs */
  bool mounted;                 /* rootfs is an overlay of the snapshots */
  unsigned nmounts;
  bool cmd_set;                 /* CMD given in this stage */
  pthread_mutex_t mu;           /* its root may be read by stages at once */
};

struct run {
  struct mdk_be_store *s;
  struct mdk_ir_graph *g;
  const struct mdk_be_build_opts *o;
  struct stage_run *st;
  char *work;                   /* tmp/build-<pid>-<n> (full path) */
  bool private_mounts;          /* a mount namespace of the build's own */
  char created[32];
  int ctxfd;
  struct mdk_ignore ignore;
  struct mdk_arena a;             /* this thread's (one per stage build) */
  int **steps;                    /* shared: [stage][op] -> #N, or 0 */
  int *from_step;                 /* shared: [stage] -> its FROM's #N */
  struct mdk_be_progress_w *pw;   /* shared */
  struct task *tasks;             /* the stage builds (their arenas) */
  size_t ntasks;
};

/* value i of a field, NUL-terminated, or NULL */
static char *fval(struct mdk_arena *a, const struct mdk_ir_field *f, size_t i)
{
  if(!f || i >= f->nvals)
    return NULL;
  return mdk_arena_strndup(a, f->vals[i].ptr, f->vals[i].len);
}

static char *fstr(struct mdk_arena *a, const struct mdk_ir_op *op,
                  enum mdk_ir_fid id, size_t i)
{
  return fval(a, mdk_ir_op_get(op, id), i);
}

static json_t *cfg_obj(struct mdk_be_image *im)
{
  json_t *c = json_object_get(im->config, "config");
  if(!json_is_object(c)) {
    c = json_object();
    json_object_set_new(im->config, "config", c);
  }
  return c;
}

static json_t *str_array(const struct mdk_ir_field *f)
{
  json_t *a = json_array();
  size_t i;
  for(i = 0; i < f->nvals; i++)
    json_array_append_new(a, json_stringn(f->vals[i].ptr, f->vals[i].len));
  return a;
}

static void set_env(json_t *c, struct mdk_str kv)
{
  json_t *env = json_object_get(c, "Env"), *v;
  const char *eq = memchr(kv.ptr, '=', kv.len);
  size_t kl = eq ? (size_t)(eq - kv.ptr) : kv.len, i;
  if(!json_is_array(env)) {
    env = json_array();
    json_object_set_new(c, "Env", env);
  }
  json_array_foreach(env, i, v) {
    const char *s = json_string_value(v);
    if(s && strncmp(s, kv.ptr, kl) == 0 && s[kl] == '=') {
      json_array_set_new(env, i, json_stringn(kv.ptr, kv.len));
      return;
    }
  }
  json_array_append_new(env, json_stringn(kv.ptr, kv.len));
}

static json_t *obj_field(json_t *c, const char *name)
{
  json_t *o = json_object_get(c, name);
  if(!json_is_object(o)) {
    o = json_object();
    json_object_set_new(c, name, o);
  }
  return o;
}

static void set_str(json_t *c, const char *key, const struct mdk_ir_field *f)
{
  json_object_set_new(c, key, json_stringn(f->vals[0].ptr, f->vals[0].len));
}

static void apply_labels(struct run *r, json_t *c, const struct mdk_ir_field *f)
{
  json_t *l = obj_field(c, "Labels");
  size_t i;
  for(i = 0; i < f->nvals; i++) {
    const char *eq = memchr(f->vals[i].ptr, '=', f->vals[i].len);
    size_t kl = eq ? (size_t)(eq - f->vals[i].ptr) : f->vals[i].len;
    char *key = mdk_arena_strndup(&r->a, f->vals[i].ptr, kl);
    json_object_set_new(l, key, json_stringn(eq ? eq + 1 : "",
                                             eq ? f->vals[i].len - kl - 1 : 0));
  }
}

/* EXPOSE and VOLUME: a set of keys with empty objects */
static void apply_set(struct run *r, json_t *c, const char *key,
                      const struct mdk_ir_field *f)
{
  json_t *o = obj_field(c, key);
  size_t i;
  for(i = 0; i < f->nvals; i++)
    json_object_set_new(o, mdk_arena_strndup(&r->a, f->vals[i].ptr,
                                             f->vals[i].len), json_object());
}

static void apply_onbuild(json_t *c, const struct mdk_ir_field *f)
{
  json_t *ob = json_object_get(c, "OnBuild");
  size_t i;
  if(!json_is_array(ob)) {
    ob = json_array();
    json_object_set_new(c, "OnBuild", ob);
  }
  for(i = 0; i < f->nvals; i++)
    json_array_append_new(ob, json_stringn(f->vals[i].ptr, f->vals[i].len));
}

static void apply_healthcheck(struct run *r, json_t *c,
                              const struct mdk_ir_op *op,
                              const struct mdk_ir_field *f)
{
  static const struct { enum mdk_ir_fid id; const char *key; } durs[] = {
    {MDK_IR_F_HC_INTERVAL, "Interval"}, {MDK_IR_F_HC_TIMEOUT, "Timeout"},
    {MDK_IR_F_HC_START_PERIOD, "StartPeriod"},
    {MDK_IR_F_HC_START_INTERVAL, "StartInterval"},
    {MDK_IR_F_HC_RETRIES, "Retries"}};
  json_t *h = json_object();
  size_t i;
  json_object_set_new(h, "Test", str_array(f));
  for(i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
    char *v = fstr(&r->a, op, durs[i].id, 0);
    long long n = v ? strtoll(v, NULL, 10) : 0;
    if(n)        /* Docker omits zero values */
      json_object_set_new(h, durs[i].key, json_integer(n));
  }
  json_object_set_new(c, "Healthcheck", h);
}

/* One config delta onto the image config, as Docker applies it. */
static void apply_config(struct run *r, struct stage_run *sr,
                         const struct mdk_ir_op *op)
{
  json_t *c = cfg_obj(&sr->im);
  size_t i, k;
  bool has_cmd = mdk_ir_op_get(op, MDK_IR_F_CMD) != NULL;
  for(k = 0; k < op->nfields; k++) {
    const struct mdk_ir_field *f = &op->fields[k];
    switch(f->id) {
    case MDK_IR_F_ENV:
      for(i = 0; i < f->nvals; i++)
        set_env(c, f->vals[i]);
      break;
    case MDK_IR_F_LABEL: apply_labels(r, c, f); break;
    case MDK_IR_F_EXPOSE: apply_set(r, c, "ExposedPorts", f); break;
    case MDK_IR_F_VOLUME: apply_set(r, c, "Volumes", f); break;
    case MDK_IR_F_USER: set_str(c, "User", f); break;
    case MDK_IR_F_WORKDIR: set_str(c, "WorkingDir", f); break;
    case MDK_IR_F_STOPSIGNAL: set_str(c, "StopSignal", f); break;
    case MDK_IR_F_SHELL:
      json_object_set_new(c, "Shell", str_array(f));
      break;
    case MDK_IR_F_CMD:
      json_object_set_new(c, "Cmd", str_array(f));
      /* every CMD, either form (dockerfile2llb dispatchCmd; deprecated in
       * the OCI spec, kept for Docker's image spec) */
      json_object_set_new(c, "ArgsEscaped", json_true());
      sr->cmd_set = true;
      break;
    case MDK_IR_F_ENTRYPOINT:
      json_object_set_new(c, "Entrypoint", str_array(f));
      /* an ENTRYPOINT resets a CMD inherited from the base (BuildKit) */
      if(!sr->cmd_set && !has_cmd)
        json_object_del(c, "Cmd");
      break;
    case MDK_IR_F_ONBUILD: apply_onbuild(c, f); break;
    case MDK_IR_F_HEALTHCHECK: apply_healthcheck(r, c, op, f); break;
    case MDK_IR_F_MAINTAINER:
      json_object_set_new(sr->im.config, "author",
                          json_stringn(f->vals[0].ptr, f->vals[0].len));
      break;
    default:
      /* arg, modal-* and the healthcheck durations: nothing (more) */
      break;
    }
  }
}

/* b with every secret build argument's value replaced by ***, in place */
static void mask_secrets(struct run *r, struct mdk_buf *b)
{
  size_t k;
  for(k = 0; k < r->o->nsecret_args + r->o->nsecret_env && b->ptr; k++) {
    struct mdk_str v = k < r->o->nsecret_args
                         ? r->o->secret_args[k].value
                         : r->o->secret_env[k - r->o->nsecret_args].value;
    struct mdk_buf out;
    const char *p = b->ptr, *end = b->ptr + b->len, *hit;
    if(!v.len || !memmem(b->ptr, b->len, v.ptr, v.len))
      continue;
    mdk_buf_init(&out, 1 << 16);
    while((hit = memmem(p, (size_t)(end - p), v.ptr, v.len))) {
      mdk_buf_append(&out, p, (size_t)(hit - p));
      mdk_buf_puts(&out, "***");
      p = hit + v.len;
    }
    mdk_buf_append(&out, p, (size_t)(end - p));
    mdk_buf_free(b);
    *b = out;
  }
}

/* The secret build argument whose value a config op (ENV, LABEL, USER...)
 * would store in the image, or NULL. */
static const struct mdk_be_secret_arg *secret_in_config(struct run *r,
                                                const struct mdk_ir_op *op)
{
  size_t k, f, i;
  for(k = 0; k < r->o->nsecret_args + r->o->nsecret_env; k++) {
    const struct mdk_be_secret_arg *sa =
      k < r->o->nsecret_args ? &r->o->secret_args[k]
                             : &r->o->secret_env[k - r->o->nsecret_args];
    struct mdk_str v = sa->value;
    if(!v.len)
      continue;
    for(f = 0; f < op->nfields; f++) {
      if(strcmp(op->fields[f].name, "arg") == 0)
        continue;               /* ARG declares; it stores nothing */
      for(i = 0; i < op->fields[f].nvals; i++)
        if(memmem(op->fields[f].vals[i].ptr, op->fields[f].vals[i].len,
                  v.ptr, v.len))
          return sa;
    }
  }
  return NULL;
}



/* The stage's root as an overlay of the store's snapshots of its layers
 * (made once per store, shared with RUN steps), with a throwaway upper dir:
 * no per-build unpack of the whole image.  False when that cannot be (no
 * mount namespace of our own, too many layers for the options), and the
 * caller unpacks. */
static bool overlay_root(struct run *r, struct stage_run *sr, int si,
                         size_t n)
{
  const char **dirs;
  struct mdk_err ignored;
  struct mdk_buf b;
  char *upper, *ovw;
  size_t i;
  bool ok;
  if(!r->private_mounts || n == 0 ||
     mdk_be_snapshots(r->s, &r->a, &sr->im, n, &dirs, &ignored))
    return false;
  sr->nmounts++;
  upper = mdk_arena_printf(&r->a, "%s/stage-%d.up%u", r->work, si,
                           sr->nmounts);
  ovw = mdk_arena_printf(&r->a, "%s/stage-%d.wk%u", r->work, si,
                         sr->nmounts);
  if(mkdir(upper, 0755) || mkdir(ovw, 0700))
    return false;
  mdk_buf_init(&b, 1 << 16);
  mdk_buf_puts(&b, "lowerdir=");
  for(i = 0; i < n; i++)
    mdk_buf_printf(&b, "%s%s", i ? ":" : "", dirs[i]);
  mdk_buf_printf(&b, ",upperdir=%s,workdir=%s", upper, ovw);
  if(sr->mounted) {
    (void)umount2(sr->rootfs, MNT_DETACH);
    sr->mounted = false;
  }
  {
    char err[300];
    ok = b.len < 4000 &&
         mdk_rt_overlay_mount(MDK_RT_OVL_KERNEL, b.ptr, sr->rootfs, err,
                              sizeof(err)) == 0;
  }
  mdk_buf_free(&b);
  if(ok) {
    sr->mounted = true;
    sr->applied = n;
  }
  return ok;
}

/* The stage's root, with every layer so far applied. */
static enum mdk_status rootfs_locked(struct run *r, int si, int *fd,
                                     struct mdk_err *e)
{
  struct stage_run *sr = &r->st[si];
  struct mdk_be_unpack_opts uo = {.devices = geteuid() == 0,
                                  .same_owner = geteuid() == 0};
  size_t n = mdk_be_image_nlayers(&sr->im);
  if(!sr->rootfs) {
    sr->rootfs = mdk_arena_printf(&r->a, "%s/stage-%d", r->work, si);
    if(mkdir(sr->rootfs, 0755) && errno != EEXIST)
      return mdk_fail(e, MDK_EIO, "cannot create %s: %s", sr->rootfs,
                         strerror(errno));
    sr->applied = 0;
  }
  if(sr->applied < n && (sr->mounted || sr->applied == 0) &&
     !overlay_root(r, sr, si, n) && sr->mounted) {
    /* an overlay that cannot follow: unpack from the first layer */
    (void)umount2(sr->rootfs, MNT_DETACH);
    sr->mounted = false;
    sr->applied = 0;
  }
  for(; sr->applied < n; sr->applied++) {
    struct mdk_be_layer_desc d;
    enum mdk_status st;
    if(!mdk_be_image_layer(&sr->im, sr->applied, &d))
      return mdk_fail(e, MDK_EINPUT, "layer %zu of the image is invalid",
                         sr->applied);
    st = mdk_be_unpack_blob(r->s, d.digest, sr->rootfs, &uo, e);
    if(st)
      return st;
  }
  *fd = open(sr->rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(*fd < 0)
    return mdk_fail(e, MDK_EIO, "cannot open %s: %s", sr->rootfs,
                       strerror(errno));
  return MDK_OK;
}

/* Stages building at once may both read a finished stage's root: one of
 * them materializes it, the other waits. */
static enum mdk_status rootfs(struct run *r, int si, int *fd,
                              struct mdk_err *e)
{
  enum mdk_status st;
  pthread_mutex_lock(&r->st[si].mu);
  st = rootfs_locked(r, si, fd, e);
  pthread_mutex_unlock(&r->st[si].mu);
  return st;
}

/* RUN --mount from=STAGE: that stage's root, materialized */
static const char *stage_root(void *ctx, int si, struct mdk_err *e)
{
  struct run *r = ctx;
  int fd;
  while(si >= 0 && (size_t)si < r->g->nstages &&
        r->g->stages[si]->alias_of >= 0)
    si = r->g->stages[si]->alias_of;
  if(si < 0 || (size_t)si >= r->g->nstages || !r->st[si].built) {
    mdk_fail(e, MDK_EINPUT, "RUN --mount from= names a stage that was "
                "not built");
    return NULL;
  }
  if(rootfs(r, si, &fd, e))
    return NULL;
  close(fd);
  return r->st[si].rootfs;
}

static void cache_rel(const struct mdk_ir_key *k, char out[96])
{
  char hex[65];
  mdk_ir_key_hex(k, hex);
  snprintf(out, 96, "cache/%s", hex);
}

/* A cached result of key k: the layer it made, or that it made none. */
static bool cache_get(struct run *r, const struct mdk_ir_key *k,
                      struct mdk_be_layer_desc *d, bool *empty,
                      char created[32])
{
  char rel[96];
  char *txt;
  json_t *j, *l;
  json_error_t je;
  bool ok = false;
  cache_rel(k, rel);
  txt = mdk_be_store_read(r->s, &r->a, rel, 1 << 16);
  if(!txt)
    return false;
  j = json_loads(txt, 0, &je);
  l = json_object_get(j, "layer");
  *empty = json_is_true(json_object_get(j, "empty"));
  /* the time the step first ran: a cached step keeps it (as BuildKit's
   * cache records do), so an unchanged build is the same image */
  {
    const char *c = json_string_value(json_object_get(j, "created"));
    snprintf(created, 32, "%s", c && strlen(c) < 32 ? c : r->created);
  }
  if(*empty) {
    ok = true;
  }
  else if(json_is_object(l)) {
    const char *dg = json_string_value(json_object_get(l, "digest"));
    const char *id = json_string_value(json_object_get(l, "diff_id"));
    const char *mt = json_string_value(json_object_get(l, "mediaType"));
    if(mdk_digest_valid(dg) && mdk_digest_valid(id) && mt &&
       mdk_be_blob_exists(r->s, dg)) {
      snprintf(d->digest, sizeof(d->digest), "%s", dg);
      snprintf(d->diff_id, sizeof(d->diff_id), "%s", id);
      d->size = (uint64_t)json_integer_value(json_object_get(l, "size"));
      d->media_type = mdk_arena_strndup(&r->a, mt, strlen(mt));
      /* a layer of another compression is another result */
      ok = strcmp(mt, mdk_be_layer_media_type(r->o->layer.comp.kind)) == 0;
    }
  }
  json_decref(j);
  return ok;
}

static void cache_put(struct run *r, const struct mdk_ir_key *k,
                      const struct mdk_be_layer_desc *d)
{
  char rel[96];
  char *txt;
  json_t *j = d ? json_pack("{s:i,s:{s:s,s:s,s:I,s:s}}", "v", 1, "layer",
                            "digest", d->digest, "diff_id", d->diff_id,
                            "size", (json_int_t)d->size, "mediaType",
                            d->media_type)
                : json_pack("{s:i,s:b}", "v", 1, "empty", 1);
  json_object_set_new(j, "created", json_string(r->created));
  cache_rel(k, rel);
  txt = mdk_be_json_canonical(j);
  json_decref(j);
  if(txt)
    (void)mdk_be_store_write(r->s, rel, txt, strlen(txt), NULL);
  free(txt);
}

/* WORKDIR: a layer with the directories that are missing, if any. */
static enum mdk_status do_mkdir(struct run *r, int si,
                                const struct mdk_ir_op *op,
                                struct mdk_be_layer_desc *d, bool *made,
                                struct mdk_err *e)
{
  char *path = fstr(&r->a, op, MDK_IR_F_PATH, 0), *user = fstr(&r->a, op, MDK_IR_F_USER, 0);
  char phys[4096];
  int fd;
  struct stat sb;
  uint32_t uid = 0, gid = 0;
  enum mdk_status st = rootfs(r, si, &fd, e);
  struct mdk_be_layerw *w;
  char *q;
  *made = false;
  if(st)
    return st;
  if(!path || !mdk_resolve_in_root(fd, path, phys, sizeof(phys))) {
    close(fd);
    return mdk_fail(e, MDK_EINPUT, "WORKDIR %s cannot be resolved in the "
                       "image (a symlink loop?)", path ? path : "");
  }
  if(fstatat(fd, *phys ? phys : ".", &sb, 0) == 0) {
    close(fd);
    if(!S_ISDIR(sb.st_mode))
      return mdk_fail(e, MDK_EINPUT, "WORKDIR %s exists and is not a "
                         "directory", path);
    return MDK_OK;
  }
  if(user && *user && (st = mdk_rt_user_resolve(fd, user, &uid, &gid, e))) {
    close(fd);
    return st;
  }
  st = mdk_be_layerw_begin(r->s, &r->o->layer, &w, e);
  for(q = phys; !st && q;) {
    char *slash = strchr(q, '/');
    if(slash)
      *slash = '\0';
    st = mdk_be_layerw_add_dir(w, fd, phys, uid, gid, r->o->now, e);
    if(slash)
      *slash = '/';
    q = slash ? slash + 1 : NULL;
  }
  close(fd);
  if(st) {
    if(w)
      mdk_be_layerw_abort(w);
    return st;
  }
  st = mdk_be_layerw_commit(w, d, e);
  *made = st == MDK_OK;
  return st;
}

static enum mdk_ir_src src_kind(const char *s)
{
  return mdk_ir_source_kind(mdk_str_c(s));
}

/* Is the context file rel a tar archive (any compression) ADD unpacks? */
static bool is_archive(int dirfd, const char *rel)
{
  int fd = mdk_open_in_root(dirfd, rel, O_RDONLY, 0);
  char magic[512];
  ssize_t n;
  if(fd < 0)
    return false;
  n = read(fd, magic, sizeof(magic));
  close(fd);
  if(n < 4)
    return false;
  /* gzip, bzip2, xz, zstd, or a tar header ("ustar" at 257) */
  if((unsigned char)magic[0] == 0x1f && (unsigned char)magic[1] == 0x8b)
    return true;
  if(memcmp(magic, "BZh", 3) == 0)
    return true;
  if(memcmp(magic, "\xfd" "7zXZ", 5) == 0)
    return true;
  if(memcmp(magic, "\x28\xb5\x2f\xfd", 4) == 0)
    return true;
  return n >= 262 && memcmp(magic + 257, "ustar", 5) == 0;
}

static enum mdk_status do_copy(struct run *r, int si,
                               const struct mdk_ir_op *op,
                               struct mdk_be_layer_desc *d,
                               struct mdk_err *e)
{
  const struct mdk_ir_field *src = mdk_ir_op_get(op, MDK_IR_F_SRC);
  char *dest = fstr(&r->a, op, MDK_IR_F_DEST, 0), *from = fstr(&r->a, op, MDK_IR_F_FROM, 0);
  char *chown = fstr(&r->a, op, MDK_IR_F_CHOWN, 0), *chmod = fstr(&r->a, op,
                                                           MDK_IR_F_CHMOD, 0);
  bool is_add = op->kind == MDK_IR_ADD;
  bool parents = mdk_ir_op_get(op, MDK_IR_F_PARENTS) &&
                 mdk_str_eq_c(mdk_ir_op_get(op, MDK_IR_F_PARENTS)->vals[0], "true");
  const struct mdk_ir_field *excl = mdk_ir_op_get(op, MDK_IR_F_EXCLUDE);
  struct mdk_be_copy_plan p;
  struct mdk_ignore exclude;
  int destfd = -1, srcfd = -1;
  bool keep_owner = false, many;
  enum mdk_status st;
  size_t i;
  struct mdk_be_image fim;
  bool fim_used = false;
  size_t ngit;

  memset(&exclude, 0, sizeof(exclude));
  mdk_be_copy_plan_init(&p);
  if(op->linked) {
    /* --link: made on an empty root (the destination follows none of the
     * parent's symlinks); a --chown name still comes from the parent's
     * /etc/passwd */
    char *dir = mdk_arena_printf(&r->a, "%s/link-%d-%zu", r->work, si,
                                 (size_t)op->line);
    if((mkdir(dir, 0755) && errno != EEXIST) ||
       (destfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
      return mdk_fail(e, MDK_EIO, "cannot create %s: %s", dir,
                      strerror(errno));
    if(chown && *chown && strspn(chown, "0123456789:") != strlen(chown)) {
      int pfd;
      if((st = rootfs(r, si, &pfd, e)))
        goto out;
      st = mdk_rt_user_resolve(pfd, chown, &p.uid, &p.gid, e);
      close(pfd);
      if(st)
        goto out;
    }
    else if(chown && *chown &&
            (st = mdk_rt_user_resolve(destfd, chown, &p.uid, &p.gid, e)))
      goto out;
  }
  else {
    st = rootfs(r, si, &destfd, e);
    if(st)
      return st;
    if(chown && *chown &&
       (st = mdk_rt_user_resolve(destfd, chown, &p.uid, &p.gid, e)))
      goto out;
  }
  p.dest_rootfd = destfd;
  p.now = r->o->now;
  p.parents = parents;
  p.chown = chown && *chown;
  if(chmod && *chmod) {
    char *end;
    long m = strtol(chmod, &end, 8);
    if(*end || m < 0 || m > 07777) {
      st = mdk_fail(e, MDK_EINPUT, "--chmod=%s: only octal modes are "
                       "supported by this builder (write e.g. 0755)", chmod);
      goto out;
    }
    p.chmod = true;
    p.mode = (uint32_t)m;
  }
  if(excl && excl->nvals) {
    struct mdk_buf b;
    mdk_buf_init(&b, 1 << 20);
    for(i = 0; i < excl->nvals; i++) {
      mdk_buf_append(&b, excl->vals[i].ptr, excl->vals[i].len);
      mdk_buf_putc(&b, '\n');
    }
    mdk_ignore_parse(&r->a, mdk_str_make(b.ptr, b.len), &exclude);
    mdk_buf_free(&b);
    p.exclude = &exclude;
  }
  /* where the sources are read from */
  if(from && strncmp(from, "stage:", 6) == 0) {
    int fs = atoi(from + 6);
    while(fs >= 0 && r->g->stages[fs]->alias_of >= 0)
      fs = r->g->stages[fs]->alias_of;
    if(fs < 0 || fs >= si || !r->st[fs].built) {
      st = mdk_fail(e, MDK_EINPUT, "COPY --from names a stage that was "
                       "not built");
      goto out;
    }
    if((st = rootfs(r, fs, &srcfd, e)))
      goto out;
    keep_owner = true;
  }
  else if(from && strncmp(from, "image:", 6) == 0) {
    char *dir;
    if((st = mdk_be_image_resolve(r->s, &r->a, from + 6, &fim, e)))
      goto out;
    fim_used = true;
    dir = mdk_arena_printf(&r->a, "%s/from-%d-%zu", r->work, si,
                           (size_t)op->line);
    if(mkdir(dir, 0755) && errno != EEXIST) {
      st = mdk_fail(e, MDK_EIO, "cannot create %s: %s", dir,
                       strerror(errno));
      goto out;
    }
    if((st = mdk_be_image_unpack(r->s, &fim, dir, true, e)))
      goto out;
    srcfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    keep_owner = true;
  }
  else {
    srcfd = dup(r->ctxfd);
    p.ignore = &r->ignore;
  }
  if(srcfd < 0) {
    st = mdk_fail(e, MDK_EIO, "cannot open the copy source: %s",
                     strerror(errno));
    goto out;
  }
  many = src && src->nvals > 1;
  ngit = 0;
  for(i = 0; src && i < src->nvals && !st; i++) {
    char *s = mdk_arena_strndup(&r->a, src->vals[i].ptr, src->vals[i].len);
    if(src_kind(s) == MDK_IR_SRC_HEREDOC) {
      /* a heredoc: its body becomes a file named after the delimiter */
      char *key = mdk_arena_printf(&r->a, "heredoc:%s", s + 2);
      char *body = fval(&r->a, mdk_ir_op_get_named(op, key), 0);
      char *file = mdk_arena_printf(&r->a, "heredoc-%d-%zu-%zu", si,
                                    (size_t)op->line, i);
      char *full = mdk_arena_printf(&r->a, "%s/%s", r->work, file);
      int wfd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      int workfd;
      if(wfd < 0 || (body && write(wfd, body, strlen(body)) !=
                                 (ssize_t)strlen(body))) {
        if(wfd >= 0)
          close(wfd);
        st = mdk_fail(e, MDK_EIO, "cannot write heredoc %s: %s", s + 2,
                         strerror(errno));
        break;
      }
      close(wfd);
      workfd = open(r->work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      /* the work dir stays open for the layer writer */
      if(!mdk_be_copy_plan_own_fd(&p, workfd)) {
        if(workfd >= 0)
          close(workfd);
        st = mdk_fail(e, MDK_EIO, "too many heredocs in one COPY");
        break;
      }
      st = mdk_be_copy_add_file(&p, workfd, file, s + 2, dest, many, e);
      continue;
    }
    if(is_add && src_kind(s) == MDK_IR_SRC_HTTP) {
      /* a remote file: downloaded (and checked against --checksum), mode
       * 0600 and the server's Last-Modified time, as Docker does */
      char *file = mdk_arena_printf(&r->a, "url-%d-%zu-%zu", si,
                                    (size_t)op->line, i);
      char *full = mdk_arena_printf(&r->a, "%s/%s", r->work, file);
      const char *q = strchr(s, '?') ? strchr(s, '?') : s + strlen(s);
      const char *slash = q;
      char *name;
      int64_t mt;
      int workfd;
      while(slash > s && slash[-1] != '/')
        slash--;
      name = mdk_arena_strndup(&r->a, slash, (size_t)(q - slash));
      if(!*name)
        name = mdk_arena_strndup(&r->a, "index.html", 10);
      st = mdk_be_fetch(s, full, fstr(&r->a, op, MDK_IR_F_CHECKSUM, 0), &mt, e);
      if(st)
        break;
      fchmodat(AT_FDCWD, full, 0600, 0);
      if(mt >= 0) {
        struct timespec ts[2] = {{(time_t)mt, 0}, {(time_t)mt, 0}};
        utimensat(AT_FDCWD, full, ts, 0);
      }
      workfd = open(r->work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if(!mdk_be_copy_plan_own_fd(&p, workfd)) {
        if(workfd >= 0)
          close(workfd);
        st = mdk_fail(e, MDK_EIO, "too many sources in one ADD");
        break;
      }
      st = mdk_be_copy_add_file(&p, workfd, file, name, dest, many, e);
      if(!st && p.n && !p.chmod)
        p.e[p.n - 1].en.mode = 0600;
      if(!st && p.n && mt >= 0)
        p.e[p.n - 1].en.mtime = mt;
      continue;
    }
    if(is_add && src_kind(s) == MDK_IR_SRC_GIT) {
      /* a repository at the commit its ref named when the build began:
       * its tree (or subdirectory) goes into dest, .git only if kept */
      const struct mdk_ir_field *gc = mdk_ir_op_get(op, MDK_IR_F_GIT_COMMIT);
      const struct mdk_ir_field *kg = mdk_ir_op_get(op, MDK_IR_F_KEEP_GIT_DIR);
      struct mdk_be_git_src gs;
      char *dir = mdk_arena_printf(&r->a, "%s/git-%d-%zu-%zu", r->work, si,
                                   (size_t)op->line, i);
      char *into = mdk_arena_printf(&r->a, "%s%s", dest,
                                    dest[strlen(dest) - 1] == '/' ? "" : "/");
      char *commit;
      int gfd;
      if(!gc || ngit >= gc->nvals) {
        st = mdk_fail(e, MDK_EINPUT, "ADD %s: the commit was not resolved "
                      "before the build", s);
        break;
      }
      commit = mdk_arena_strndup(&r->a, gc->vals[ngit].ptr,
                                 gc->vals[ngit].len);
      ngit++;
      if((st = mdk_be_git_parse(&r->a, s, &gs, e)) ||
         (st = mdk_be_git_checkout(&r->a, &gs, commit, dir,
                                   gs.keep_git_dir ||
                                   (kg && kg->nvals &&
                                    mdk_str_eq_c(kg->vals[0], "true")), e)))
        break;
      gfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if(!mdk_be_copy_plan_own_fd(&p, gfd)) {
        if(gfd >= 0)
          close(gfd);
        st = mdk_fail(e, MDK_EIO, "cannot open %s", dir);
        break;
      }
      {
        const struct mdk_ignore *saved = p.ignore;
        p.ignore = NULL;
        st = mdk_be_copy_add_source(&p, gfd, gs.subdir, into, true, false, e);
        p.ignore = saved;
      }
      continue;
    }
    if(is_add && (!from || strcmp(from, "context") == 0)) {
      char rel[4096];
      snprintf(rel, sizeof(rel), "%s", s[0] == '/' ? s + 1 : s);
      if(!strpbrk(rel, "*?[") && is_archive(srcfd, rel)) {
        /* a local tar archive is unpacked at dest */
        char *dir = mdk_arena_printf(&r->a, "%s/add-%d-%zu-%zu", r->work, si,
                                     (size_t)op->line, i);
        int afd = mdk_open_in_root(srcfd, rel, O_RDONLY, 0);
        struct mdk_be_unpack_opts uo = {.same_owner = geteuid() == 0,
                                        .rooted = true};
        int dfd;
        char *into = mdk_arena_printf(&r->a, "%s%s", dest,
                                      dest[strlen(dest) - 1] == '/' ? ""
                                                                    : "/");
        if(afd < 0) {
          st = mdk_fail(e, MDK_EIO, "cannot open %s: %s", rel,
                           strerror(errno));
          break;
        }
        st = mdk_be_unpack_fd(afd, dir, &uo, e);
        close(afd);
        if(st)
          break;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if(!mdk_be_copy_plan_own_fd(&p, dfd)) {
          if(dfd >= 0)
            close(dfd);
          st = mdk_fail(e, MDK_EIO, "cannot open %s", dir);
          break;
        }
        {
          const struct mdk_ignore *saved = p.ignore;
          p.ignore = NULL;
          st = mdk_be_copy_add_source(&p, dfd, "", into, true, true, e);
          p.ignore = saved;
        }
        continue;
      }
    }
    st = mdk_be_copy_add_source(&p, srcfd, s, dest, many, keep_owner, e);
  }
  if(!st)
    st = mdk_be_copy_write(&p, r->s, &r->o->layer, d, e);
out:
  mdk_be_copy_plan_free(&p);
  mdk_ignore_free(&exclude);
  if(fim_used)
    mdk_be_image_free(&fim);
  if(srcfd >= 0)
    close(srcfd);
  if(destfd >= 0)
    close(destfd);
  return st;
}

/* --secret-env as the NAME=VALUE strings a RUN's environment takes */
static const char *const *secret_env_strings(struct run *r)
{
  const char **v;
  size_t k;
  if(!r->o->nsecret_env)
    return NULL;
  v = mdk_arena_array(&r->a, const char *, r->o->nsecret_env + 1);
  for(k = 0; k < r->o->nsecret_env; k++)
    v[k] = mdk_arena_printf(&r->a, "%.*s=%.*s",
                            MDK_STR_FMT(r->o->secret_env[k].name),
                            MDK_STR_FMT(r->o->secret_env[k].value));
  return v;
}

/* text with every secret build argument's value masked, in the arena */
static char *masked(struct run *r, const char *text)
{
  struct mdk_buf b;
  char *out;
  mdk_buf_init(&b, (size_t)1 << 30);
  mdk_buf_puts(&b, text);
  mask_secrets(r, &b);
  out = mdk_arena_strndup(&r->a, b.ptr ? b.ptr : "", b.len);
  mdk_buf_free(&b);
  return out;
}

/* The history entries of op (BuildKit's texts, from the IR): the one of
 * its layer gets the layer, the others are empty_layer.  Config entries
 * get their time when the stage is done (stamp_history). */
static void record_history(struct run *r, struct stage_run *sr,
                           const struct mdk_ir_op *op,
                           const struct mdk_be_layer_desc *layer,
                           const char *when)
{
  bool used = false;
  size_t i;
  for(i = 0; i < op->nhist; i++) {
    char *text = masked(r, op->hist[i].created_by);
    if(op->hist[i].layer && layer && !used) {
      mdk_be_image_add_layer(&sr->im, layer, when, text);
      used = true;
    }
    else {
      mdk_be_image_add_history(&sr->im, op->hist[i].layer ? when : NULL,
                               text, true);
    }
  }
  if(layer && !used)
    mdk_be_image_add_layer(&sr->im, layer, when,
                           masked(r, op->display ? op->display : op->instr));
}

/* Times of the history this stage added: SOURCE_DATE_EPOCH when set; else
 * a step's from its cache entry (when it first ran), and an entry without
 * one (ENV, LABEL...) the time of the entry before it, or of the first
 * after it.  The config's "created" is the last entry's: an unchanged
 * build gives the same image. */
static void stamp_history(struct run *r, struct stage_run *sr, size_t from)
{
  json_t *h = json_object_get(sr->im.config, "history"), *e;
  size_t i, n = json_array_size(h);
  const char *prev = NULL, *last;
  bool epoch = r->o->layer.epoch >= 0;
  if(from > 0 && from <= n)
    prev = json_string_value(json_object_get(json_array_get(h, from - 1),
                                             "created"));
  for(i = from; i < n; i++) {
    e = json_array_get(h, i);
    if(epoch || (!json_object_get(e, "created") && prev))
      json_object_set_new(e, "created",
                          json_string(epoch ? r->created : prev));
    if(json_object_get(e, "created"))
      prev = json_string_value(json_object_get(e, "created"));
  }
  /* leading entries of a scratch stage: the first later time */
  for(i = n; i-- > from;) {
    e = json_array_get(h, i);
    if(json_object_get(e, "created"))
      prev = json_string_value(json_object_get(e, "created"));
    else
      json_object_set_new(e, "created", json_string(prev ? prev
                                                         : r->created));
  }
  last = n ? json_string_value(json_object_get(json_array_get(h, n - 1),
                                               "created")) : NULL;
  if(epoch || !last)
    last = epoch || !json_string_value(json_object_get(sr->im.config,
                                                       "created"))
             ? r->created
             : json_string_value(json_object_get(sr->im.config, "created"));
  json_object_set_new(sr->im.config, "created", json_string(last));
}

/* A config op: the image config changes; no step is shown (BuildKit shows
 * none). */
static enum mdk_status config_step(struct run *r, struct stage_run *sr,
                                   const struct mdk_ir_op *op,
                                   struct mdk_err *e)
{
  const struct mdk_be_secret_arg *leak = secret_in_config(r, op);
  if(leak) {
    mdk_fail(e, MDK_EINPUT, "this instruction would store the value of "
             "secret build argument %.*s in the image's config, where "
             "anyone who pulls it can read it", MDK_STR_FMT(leak->name));
    mdk_fail_hint(e, MDK_EINPUT, "use it in RUN only (it is in RUN's "
                  "environment), or pass it with --secret and RUN "
                  "--mount=type=secret");
    e->loc = op->loc;
    return MDK_EINPUT;
  }
  apply_config(r, sr, op);
  record_history(r, sr, op, NULL, NULL);
  return MDK_OK;
}

struct follow_ctx {
  struct mdk_be_progress_w *pw;
  int id;
  struct mdk_be_follow *f;
};

/* the step's log file exists: stream it while the step runs */
static void on_log_open(void *ud, const char *path)
{
  struct follow_ctx *fc = ud;
  fc->f = mdk_be_progress_follow(fc->pw, fc->id, path);
}

/* Steps of one key run once in this process: the platforms of a
 * multi-platform build (and the stages of one build) run at once, and a
 * step they share (a --platform=$BUILDPLATFORM stage's) is run by the first
 * to claim its key; the others wait, then find it cached. */
enum { CLAIMS = 64 };
static pthread_mutex_t claim_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t claim_cv = PTHREAD_COND_INITIALIZER;
static struct mdk_ir_key claimed[CLAIMS];
static bool claimed_used[CLAIMS];

static int key_claim(const struct mdk_ir_key *k)
{
  int i, free_slot;
  pthread_mutex_lock(&claim_mu);
  for(;;) {
    bool held = false;
    free_slot = -1;
    for(i = 0; i < CLAIMS; i++) {
      if(claimed_used[i] && memcmp(&claimed[i], k, sizeof(*k)) == 0)
        held = true;
      else if(!claimed_used[i] && free_slot < 0)
        free_slot = i;
    }
    if(!held)
      break;
    pthread_cond_wait(&claim_cv, &claim_mu);
  }
  if(free_slot >= 0) {          /* full: run it anyway (only slower) */
    claimed[free_slot] = *k;
    claimed_used[free_slot] = true;
  }
  pthread_mutex_unlock(&claim_mu);
  return free_slot;
}

static void key_release(int slot)
{
  if(slot < 0)
    return;
  pthread_mutex_lock(&claim_mu);
  claimed_used[slot] = false;
  pthread_cond_broadcast(&claim_cv);
  pthread_mutex_unlock(&claim_mu);
}

static enum mdk_status layer_step_claimed(struct run *r, int si, size_t k,
                                          bool forced, struct mdk_err *e);

/* A step that makes a layer (or nothing): from the cache, or run. */
static enum mdk_status layer_step(struct run *r, int si, size_t k,
                                  bool forced, struct mdk_err *e)
{
  int slot = key_claim(&r->g->stages[si]->ops[k]->key);
  enum mdk_status st = layer_step_claimed(r, si, k, forced, e);
  key_release(slot);
  return st;
}

static enum mdk_status layer_step_claimed(struct run *r, int si, size_t k,
                                          bool forced, struct mdk_err *e)
{
  struct stage_run *sr = &r->st[si];
  struct mdk_ir_op *op = r->g->stages[si]->ops[k];
  int id = r->steps[si][k];
  struct mdk_be_layer_desc d;
  bool empty = false, made = false;
  char when[32], key[65];
  enum mdk_status st = MDK_OK;
  mdk_ir_key_hex(&op->key, key);
  /* COPY --link: the layer made on an empty root is the same over any
   * parent, so an edit above it rebuilds the steps after it, never this
   * layer (BuildKit's rebase) */
  if(!forced && (cache_get(r, &op->key, &d, &empty, when) ||
                 (op->linked &&
                  cache_get(r, &op->link_key, &d, &empty, when)))) {
    if(op->linked)
      cache_put(r, &op->key, empty ? NULL : &d);
    mdk_be_progress_end(r->pw, id, MDK_STEP_CACHED, key, empty ? NULL : &d,
                        NULL);
    record_history(r, sr, op, empty ? NULL : &d, when);
    return MDK_OK;
  }
  mdk_be_progress_start(r->pw, id);
  switch(op->kind) {
  case MDK_IR_MKDIR:
    st = do_mkdir(r, si, op, &d, &made, e);
    break;
  case MDK_IR_COPY:
  case MDK_IR_ADD:
    st = do_copy(r, si, op, &d, e);
    made = st == MDK_OK;
    break;
  case MDK_IR_RUN: {
    struct follow_ctx fc = {r->pw, id, NULL};
    struct mdk_be_run_ctx rc = {r->o->context ? r->o->context : ".",
                                stage_root, r, r->o->secrets,
                                r->o->nsecrets, r->o->ssh, r->o->nssh,
                                r->o->allow_insecure,
                                r->o->oci_runtime, on_log_open, &fc,
                                secret_env_strings(r), r->o->nsecret_env};
    const char *log = NULL;
    st = mdk_be_run_step(r->s, &r->a, &sr->im, op, r->work, &r->o->layer,
                         &rc, &log, &d, &made, e);
    mdk_be_progress_unfollow(fc.f);
    break;
  }
  default:
    break;
  }
  if(st) {
    mdk_be_progress_end(r->pw, id, mdk_be_canceled() ? MDK_STEP_CANCELED
                                                     : MDK_STEP_ERROR,
                        key, NULL, e->msg);
    if(!e->loc.src)
      e->loc = op->loc;
    return st;
  }
  mdk_be_progress_end(r->pw, id, MDK_STEP_DONE, key, made ? &d : NULL, NULL);
  cache_put(r, &op->key, made ? &d : NULL);
  if(op->linked)
    cache_put(r, &op->link_key, made ? &d : NULL);
  /* a step that changed nothing is still in the history (BuildKit's
   * empty_layer entries), so the history says what ran */
  record_history(r, sr, op, made ? &d : NULL, r->created);
  return MDK_OK;
}

/* --- force marks -------------------------------------------------------
 * Modal's force_build rebuilds a step and everything after it, also in
 * images built later FROM the forced one.  A reproducible rebuild makes the
 * same image (same digest), so the image records a mark instead: a nonce in
 * STORE/forced/DIGEST, written each time a build of it forced a step.  A
 * stage FROM that image hashes the mark into its keys: it rebuilds once
 * after each forced build of its base, and is cached after that. */

static void force_mark_path(char *buf, size_t n, const struct mdk_be_store *s,
                            const char *digest)
{
  const char *colon = strchr(digest, ':');
  snprintf(buf, n, "%s/forced/%s", s->root, colon ? colon + 1 : digest);
}

/* inherit: the mark of the base this image was built on (not forced
 * itself), so images further down a chain rebuild too; NULL: a new one */
static void force_mark_set(const struct mdk_be_store *s, const char *digest,
                           struct mdk_str inherit)
{
  char path[4352], dir[4224], nonce[80];
  unsigned char rnd[16];
  int i;
  if(inherit.len && inherit.len < sizeof(nonce)) {
    memcpy(nonce, inherit.ptr, inherit.len);
    nonce[inherit.len] = '\0';
  }
  else {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, rnd, sizeof(rnd)) : -1;
    if(fd >= 0)
      close(fd);
    if(got != (ssize_t)sizeof(rnd))
      return;                   /* no mark: the chain stays cached */
    for(i = 0; i < 16; i++)
      snprintf(nonce + 2 * i, 3, "%02x", rnd[i]);
  }
  snprintf(dir, sizeof(dir), "%s/forced", s->root);
  (void)mkdir(dir, 0755);
  force_mark_path(path, sizeof(path), s, digest);
  (void)mdk_write_atomic(path, nonce, strlen(nonce), &i);
}

static struct mdk_str force_mark_get(struct mdk_arena *a,
                                     const struct mdk_be_store *s,
                                     const char *digest)
{
  char path[4352];
  char *text;
  force_mark_path(path, sizeof(path), s, digest);
  text = mdk_read_small(path, 64, NULL);
  if(!text)
    return MDK_STR_NULL;
  {
    struct mdk_str m = mdk_str_dup(a, mdk_str_c(text));
    free(text);
    return m;
  }
}

/* the stage's platform (FROM --platform, else the build's) */
static void stage_platform(struct run *r, const struct mdk_ir_stage *s,
                           struct mdk_platform *p)
{
  if(!s->platform.len ||
     !mdk_platform_parse(mdk_arena_strndup(&r->a, s->platform.ptr,
                                           s->platform.len), p))
    mdk_platform_host(p);
}

static enum mdk_status build_stage(struct run *r, int si, struct mdk_err *e)
{
  struct mdk_ir_stage *s = r->g->stages[si];
  struct stage_run *sr = &r->st[si];
  enum mdk_status st = MDK_OK;
  bool forced = r->o->no_cache;
  size_t k, hist0;

  if(r->o->no_cache_filter) {
    char *list = mdk_arena_strndup(&r->a, r->o->no_cache_filter,
                                   strlen(r->o->no_cache_filter)), *t, *sv;
    char idx[16];
    snprintf(idx, sizeof(idx), "%d", si);
    for(t = strtok_r(list, ",", &sv); t; t = strtok_r(NULL, ",", &sv))
      if(strcmp(t, idx) == 0 ||
         (s->name.len && strlen(t) == s->name.len &&
          strncasecmp(t, s->name.ptr, s->name.len) == 0))
        forced = true;
  }

  if(s->base_kind == MDK_IR_BASE_SCRATCH) {
    struct mdk_platform p;
    stage_platform(r, s, &p);
    mdk_be_image_init_scratch(&sr->im, p.os, p.arch, p.variant);
  }
  else if(s->base_kind == MDK_IR_BASE_STAGE) {
    int b = s->base_stage;
    while(b >= 0 && r->g->stages[b]->alias_of >= 0)
      b = r->g->stages[b]->alias_of;
    if(b < 0 || !r->st[b].built)
      return mdk_fail(e, MDK_EINPUT, "stage %d: its base stage was not "
                         "built", si);
    mdk_be_image_copy(&sr->im, &r->st[b].im);
    /* a forced step forces every later one, in the stages built on it */
    if(r->st[b].forced)
      forced = true;
  }
  else {
    char *ref = mdk_arena_strndup(&r->a, s->base.ptr, s->base.len);
    struct mdk_platform want, have;
    char wb[100], hb[100];
    stage_platform(r, s, &want);
    /* the manifest resolve_bases picked for the stage's platform */
    st = s->base_digest.len
       ? mdk_be_image_load_for(r->s, mdk_arena_strndup(&r->a,
                                 s->base_digest.ptr, s->base_digest.len),
                               &want, &sr->im, e)
       : mdk_be_image_resolve_for(r->s, &r->a, ref, &want, &sr->im, e);
    if(st) {
      e->loc = s->loc;
      return st;
    }
    /* an image for another platform would run its binaries as if they
     * were this one's (or the host's): never silently */
    if(mdk_be_image_platform(&sr->im, &have) &&
       !mdk_platform_eq(&want, &have)) {
      e->loc = s->loc;
      return mdk_fail(e, MDK_EINPUT, "the base image %s is for %s, not %s "
                      "(use an image with a %s manifest, or FROM "
                      "--platform=%s)", ref,
                      mdk_platform_str(&have, hb, sizeof(hb)),
                      mdk_platform_str(&want, wb, sizeof(wb)), wb, hb);
    }
    /* the base image's own id and digest are not this image's */
    sr->im.manifest[0] = sr->im.config_digest[0] = '\0';
  }
  hist0 = json_array_size(json_object_get(sr->im.config, "history"));
  /* the base's ONBUILD triggers ran right after FROM: not inherited */
  if(s->base_kind != MDK_IR_BASE_SCRATCH)
    json_object_del(cfg_obj(&sr->im), "OnBuild");
  if(r->from_step[si])
    mdk_be_progress_end(r->pw, r->from_step[si], MDK_STEP_CACHED, NULL, NULL,
                        NULL);
  for(k = 0; k < s->nops && !st; k++) {
    struct mdk_ir_op *op = s->ops[k];
    if(op->dead)
      continue;
    if(mdk_be_canceled()) {
      st = mdk_fail(e, MDK_EINPUT, "the build was canceled");
      break;
    }
    if(op->kind == MDK_IR_CONFIG) {
      st = config_step(r, sr, op, e);
      continue;
    }
    /* a forced op rebuilds, and so does everything after it */
    if(op->force)
      forced = true;
    st = layer_step(r, si, k, forced, e);
  }
  if(!st) {
    stamp_history(r, sr, hist0);
    sr->built = true;
    sr->forced = forced;
  }
  return st;
}

/* --- step numbers and names ---------------------------------------- */

static volatile sig_atomic_t canceled;

void mdk_be_cancel(void)
{
  canceled = 1;
}

bool mdk_be_canceled(void)
{
  return canceled != 0;
}

/* for the progress writer: a malloc'd copy of s, secrets masked */
static char *mask_for_progress(void *ctx, const char *s)
{
  struct run *r = ctx;
  struct mdk_buf b;
  char *out;
  mdk_buf_init(&b, (size_t)1 << 30);
  mdk_buf_puts(&b, s);
  mask_secrets(r, &b);
  out = strndup(b.ptr ? b.ptr : "", b.len);
  mdk_buf_free(&b);
  return out;
}

/* the image bases of the build's stages (their metadata steps) */
static size_t count_images(const struct mdk_ir_graph *g)
{
  size_t i, n = 0;
  for(i = 0; i < g->nstages; i++)
    n += g->stages[i]->reachable && g->stages[i]->alias_of < 0 &&
         g->stages[i]->base_kind == MDK_IR_BASE_IMAGE;
  return n;
}

/* "docker.io/library/alpine:latest@sha256:..." as BuildKit names a base */
static char *base_name(struct mdk_arena *a, const struct mdk_ir_stage *s)
{
  struct mdk_be_ref ref;
  const char *why = NULL;
  char *raw = mdk_arena_strndup(a, s->base.ptr, s->base.len);
  const char *host;
  if(!mdk_be_ref_parse(raw, &ref, &why))
    return raw;
  host = strcmp(ref.host, "registry-1.docker.io") == 0 ? "docker.io"
                                                       : ref.host;
  return mdk_arena_printf(a, "%s/%s%s%s%s%.*s", host, ref.repo,
                          ref.tag[0] ? ":" : "", ref.tag,
                          s->base_digest.len ? "@" : "",
                          MDK_STR_FMT(s->base_digest));
}

/* BuildKit's "[NAME k/N] ": the stage's name ("stage-I" when unnamed,
 * none when the build has one stage), k of N steps */
static char *step_prefix(struct run *r, const struct mdk_ir_stage *s, int k,
                         bool single)
{
  int width = 1, t;
  char name[300] = "";
  const char *pl = r->o->platform_label;
  for(t = s->cmd_total; t >= 10; t /= 10)
    width++;
  if(!single) {
    if(s->name.len)
      snprintf(name, sizeof(name), "%.*s ", MDK_STR_FMT(s->name));
    else
      snprintf(name, sizeof(name), "stage-%d ", s->index);
  }
  return mdk_arena_printf(&r->a, "[%s%s%s%*d/%d] ", pl ? pl : "",
                          pl ? " " : "", name, width, k, s->cmd_total);
}

/* Every step gets its number before anything runs (the same in every
 * run): the build definition, each base image's metadata, then stage by
 * stage each FROM and each step, then the export. */
static int number_steps(struct run *r)
{
  struct mdk_ir_graph *g = r->g;
  struct mdk_be_progress_w *pw = r->pw;
  const char *df = r->o->dockerfile ? strrchr(r->o->dockerfile, '/') : NULL;
  size_t i, k, images = 0;
  int id = 0;
  bool single;
  df = df ? df + 1 : r->o->dockerfile ? r->o->dockerfile : "Dockerfile";
  mdk_be_progress_add(pw, ++id, mdk_arena_printf(&r->a, "[internal] load "
                                                 "build definition from %s",
                                                 df));
  for(i = 0; i < g->nstages; i++) {
    const struct mdk_ir_stage *s = g->stages[i];
    for(k = 0; k < s->nops; k++)
      images += !s->ops[k]->dead && s->ops[k]->from_stage < 0 &&
                mdk_ir_op_get(s->ops[k], MDK_IR_F_FROM_DIGEST) != NULL;
  }
  single = g->nstages == 1 && images == 0;
  for(i = 0; i < g->nstages; i++) {
    const struct mdk_ir_stage *s = g->stages[i];
    if(s->reachable && s->alias_of < 0 && s->base_kind == MDK_IR_BASE_IMAGE)
      mdk_be_progress_add(pw, ++id, mdk_arena_printf(
        &r->a, "[internal] load metadata for %s", base_name(&r->a, s)));
  }
  r->steps = mdk_arena_array(&r->a, int *, g->nstages + 1);
  r->from_step = mdk_arena_array(&r->a, int, g->nstages + 1);
  for(i = 0; i < g->nstages; i++) {
    const struct mdk_ir_stage *s = g->stages[i];
    r->steps[i] = mdk_arena_array(&r->a, int, s->nops + 1);
    if(!s->reachable || s->alias_of >= 0)
      continue;
    if(s->base_kind == MDK_IR_BASE_IMAGE) {
      r->from_step[i] = ++id;
      mdk_be_progress_add(pw, id, mdk_arena_printf(
        &r->a, "%sFROM %s", step_prefix(r, s, 1, single),
        base_name(&r->a, s)));
    }
    for(k = 0; k < s->nops; k++) {
      const struct mdk_ir_op *op = s->ops[k];
      if(op->dead || op->kind == MDK_IR_CONFIG)
        continue;
      r->steps[i][k] = ++id;
      mdk_be_progress_add(pw, id, mdk_arena_printf(
        &r->a, "%s%s", op->cmd_index ? step_prefix(r, s, op->cmd_index,
                                                   single) : "",
        op->display ? op->display : op->instr));
    }
  }
  mdk_be_progress_add(pw, ++id, "exporting to image");
  return id;
}

/* --- stages in parallel --- */

struct task {
  struct run r;                 /* a copy with its own arena */
  int si;
  enum mdk_status st;
  struct mdk_err e;
};

static void *task_main(void *p)
{
  struct task *t = p;
  t->st = build_stage(&t->r, t->si, &t->e);
  return NULL;
}

static enum mdk_status build_levels(struct run *r, struct mdk_err *e)
{
  struct mdk_ir_graph *g = r->g;
  struct task *tasks = mdk_arena_array(&r->a, struct task, g->nstages + 1);
  pthread_t *tid = mdk_arena_array(&r->a, pthread_t, g->nstages + 1);
  size_t i, nt = 0;
  int lv, maxlv = 0;
  enum mdk_status st = MDK_OK;
  /* the IR's build order: stages of one level build at once */
  mdk_ir_levels(g);
  for(i = 0; i < g->nstages; i++)
    if(g->stages[i]->reachable && g->stages[i]->alias_of < 0 &&
       g->stages[i]->order > maxlv)
      maxlv = g->stages[i]->order;
  for(lv = 0; lv <= maxlv && !st; lv++) {
    size_t first = nt, k;
    for(i = 0; i < g->nstages; i++) {
      struct task *t;
      if(!g->stages[i]->reachable || g->stages[i]->alias_of >= 0 ||
         g->stages[i]->order != lv)
        continue;
      t = &tasks[nt++];
      t->r = *r;
      mdk_arena_init(&t->r.a);
      t->si = (int)i;
      t->st = MDK_OK;
      memset(&t->e, 0, sizeof(t->e));
    }
    if(nt - first == 1) {
      task_main(&tasks[first]);
    }
    else {
      for(k = first; k < nt; k++)
        if(pthread_create(&tid[k], NULL, task_main, &tasks[k])) {
          task_main(&tasks[k]);
          tid[k] = 0;
        }
      for(k = first; k < nt; k++)
        if(tid[k])
          pthread_join(tid[k], NULL);
    }
    for(k = first; k < nt; k++)
      if(tasks[k].st && !st) {
        st = tasks[k].st;
        *e = tasks[k].e;
      }
  }
  /* the stages' paths (roots) live in their arenas until the build ends */
  r->tasks = tasks;
  r->ntasks = nt;
  return st;
}

/* ADD of a git repository: the commit each ref names now is an input of
 * the op's key (BuildKit keys a git source by its resolved commit), so a
 * moved branch rebuilds and an unmoved one does not; the build checks out
 * exactly that commit. */
static enum mdk_status resolve_git_sources(struct mdk_ir_graph *g,
                                           struct mdk_arena *a,
                                           struct mdk_err *e)
{
  size_t i, k, j;
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *st = g->stages[i];
    for(k = 0; st->reachable && k < st->nops; k++) {
      struct mdk_ir_op *op = st->ops[k];
      const struct mdk_ir_field *src = mdk_ir_op_get(op, MDK_IR_F_SRC);
      const struct mdk_ir_field *sum = mdk_ir_op_get(op, MDK_IR_F_CHECKSUM);
      struct mdk_str *commits;
      size_t n = 0;
      if(op->dead || op->kind != MDK_IR_ADD || !src ||
         mdk_ir_op_get(op, MDK_IR_F_GIT_COMMIT))
        continue;
      commits = mdk_arena_array(a, struct mdk_str, src->nvals + 1);
      for(j = 0; j < src->nvals; j++) {
        struct mdk_be_git_src gs;
        char commit[41];
        char *u;
        if(mdk_ir_source_kind(src->vals[j]) != MDK_IR_SRC_GIT)
          continue;
        u = mdk_arena_strndup(a, src->vals[j].ptr, src->vals[j].len);
        if(mdk_be_git_parse(a, u, &gs, e)) {
          e->loc = op->loc;
          return MDK_EINPUT;
        }
        /* ADD --checksum of a repository names the commit */
        if(sum && sum->nvals)
          gs.checksum = mdk_arena_strndup(a, sum->vals[0].ptr,
                                          sum->vals[0].len);
        if(mdk_be_git_resolve(a, &gs, commit, e)) {
          e->loc = op->loc;
          return MDK_EINPUT;
        }
        commits[n++] = mdk_str_dup(a, mdk_str_c(commit));
      }
      if(n)
        mdk_ir_field_list(g, op, MDK_IR_F_GIT_COMMIT, commits, n);
    }
  }
  return MDK_OK;
}

/* is a stored image for plat?  Else (an image of one platform tagged by
 * an earlier pull or build) it is freed and looked for in its registry */
static bool platform_is(struct mdk_be_image *im,
                        const struct mdk_platform *plat, struct mdk_err *e)
{
  struct mdk_platform have;
  char hb[100], wb[100];
  if(!mdk_be_image_platform(im, &have) || mdk_platform_eq(&have, plat))
    return true;
  mdk_fail(e, MDK_EINPUT, "the store's image is for %s, not %s",
           mdk_platform_str(&have, hb, sizeof(hb)),
           mdk_platform_str(plat, wb, sizeof(wb)));
  mdk_be_image_free(im);
  return false;
}

enum mdk_status mdk_be_resolve_bases(struct mdk_be_store *s,
                                     struct mdk_arena *a,
                                     struct mdk_ir_graph *g,
                                     struct mdk_be_resolve_opts *ro,
                                     bool *pulled, struct mdk_err *e)
{
  size_t i;
  *pulled = false;
  ro->refs = mdk_arena_array(a, const char *, g->nstages + 1);
  ro->digests = mdk_arena_array(a, const char *, g->nstages + 1);
  ro->nresolved = 0;
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *st = g->stages[i];
    struct mdk_be_image im;
    struct mdk_platform plat;
    char *ref;
    if(st->base_kind != MDK_IR_BASE_IMAGE || !st->reachable)
      continue;
    ref = mdk_arena_strndup(a, st->base.ptr, st->base.len);
    mdk_platform_parse(mdk_arena_strndup(a, st->platform.ptr,
                                         st->platform.len), &plat);
    /* a bare digest (an image ID, a --build-context directory) names
     * what the store holds: there is nothing to pull it from */
    if((ro->pull == MDK_BE_PULL_ALWAYS && strncmp(ref, "sha256:", 7) != 0) ||
       mdk_be_image_resolve_for(s, a, ref, &plat, &im, e) ||
       !platform_is(&im, &plat, e)) {
      /* not in the store (or --pull always): from its registry */
      struct mdk_err pe;
      /* the stage's platform (FROM --platform, else the build's) picks
       * from an index */
      char pbuf[100];
      struct mdk_be_pull_opts po = {.insecure_host = ro->insecure_host,
                                    .platform = mdk_platform_str(
                                      &plat, pbuf, sizeof(pbuf))};
      if(ro->pull == MDK_BE_PULL_NEVER) {
        e->loc = st->loc;
        return MDK_EINPUT;
      }
      if(ro->pull == MDK_BE_PULL_ALWAYS)
        mdk_fail(e, MDK_EINPUT, "--pull always");
      mdk_digest md;
      char keep[sizeof(e->msg)];
      snprintf(keep, sizeof(keep), "%s", e->msg);
      if(mdk_be_pull(s, ref, &po, md, &pe) ||
         mdk_be_image_load_for(s, md, &plat, &im, e)) {
        mdk_fail(e, MDK_EINPUT, "%s; pulling it failed too: %s", keep,
                    pe.msg);
        e->loc = st->loc;
        return MDK_EINPUT;
      }
      *pulled = true;
    }
    /* --locked: the digest the lock file recorded, or an error */
    if(ro->locked) {
      size_t k;
      bool ok = false;
      for(k = 0; k < ro->nlock; k++)
        if(strcmp(ro->lock_refs[k], ref) == 0)
          ok = strcmp(ro->lock_digests[k], im.manifest) == 0;
      if(!ok) {
        mdk_be_image_free(&im);
        e->loc = st->loc;
        return mdk_fail(e, MDK_EINPUT, "FROM %s resolves to %s, which the "
                           "lock file does not record (update it with "
                           "--lock FILE without --locked)", ref, im.manifest);
      }
    }
    ro->refs[ro->nresolved] = ref;
    ro->digests[ro->nresolved++] = mdk_arena_strndup(a, im.manifest,
                                                     strlen(im.manifest));
    st->base_digest = mdk_str_dup(a, mdk_str_c(im.manifest));
    st->base_force = force_mark_get(a, s, im.manifest);
    mdk_be_image_free(&im);
  }
  /* COPY --from=IMAGE: the image's digest is an input of the op's key */
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *st = g->stages[i];
    size_t k;
    for(k = 0; st->reachable && k < st->nops; k++) {
      struct mdk_ir_op *op = st->ops[k];
      const struct mdk_ir_field *f = mdk_ir_op_get(op, MDK_IR_F_FROM);
      struct mdk_be_image im;
      char *ref;
      if(op->dead || !f || !f->nvals || f->vals[0].len < 7 ||
         strncmp(f->vals[0].ptr, "image:", 6) != 0 ||
         mdk_ir_op_get(op, MDK_IR_F_FROM_DIGEST))
        continue;
      ref = mdk_arena_strndup(a, f->vals[0].ptr + 6, f->vals[0].len - 6);
      if(mdk_be_image_resolve(s, a, ref, &im, e)) {
        e->loc = op->loc;
        return MDK_EINPUT;
      }
      mdk_ir_field(g, op, MDK_IR_F_FROM_DIGEST, mdk_str_dup(a, mdk_str_c(im.manifest)));
      mdk_be_image_free(&im);
    }
  }
  /* ADD of a URL without --checksum: the content is an input of the key,
   * so it is fetched here (as Docker fetches it on every build) and its
   * digest recorded; the build checks the file it adds is that one */
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *st = g->stages[i];
    size_t k, j;
    for(k = 0; st->reachable && k < st->nops; k++) {
      struct mdk_ir_op *op = st->ops[k];
      const struct mdk_ir_field *src = mdk_ir_op_get(op, MDK_IR_F_SRC);
      if(op->dead || op->kind != MDK_IR_ADD || !src ||
         mdk_ir_op_get(op, MDK_IR_F_CHECKSUM) || mdk_ir_op_get(op, MDK_IR_F_URL_DIGEST))
        continue;
      for(j = 0; j < src->nvals; j++) {
        char *u = mdk_arena_strndup(a, src->vals[j].ptr, src->vals[j].len);
        char *tmp, *hex;
        int64_t mt;
        FILE *f;
        if(src_kind(u) != MDK_IR_SRC_HTTP)
          continue;
        tmp = mdk_arena_printf(a, "%s/tmp/url-%ld-%zu-%zu", s->root,
                               (long)getpid(), i, k);
        if(mdk_be_fetch(u, tmp, NULL, &mt, e)) {
          e->loc = op->loc;
          return MDK_EINPUT;
        }
        f = fopen(tmp, "rb");
        {
          struct mdk_sha256 h;
          uint8_t raw[32], buf[65536];
          size_t n;
          mdk_digest d;
          mdk_sha256_init(&h);
          while(f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
            mdk_sha256_update(&h, buf, n);
          mdk_sha256_final(&h, raw);
          mdk_digest_from_raw(raw, d);
          hex = mdk_arena_printf(a, "%s %s %lld", u, d, (long long)mt);
        }
        if(f)
          fclose(f);
        unlink(tmp);
        mdk_ir_field(g, op, MDK_IR_F_URL_DIGEST, mdk_str_c(hex));
      }
    }
  }
  if(resolve_git_sources(g, a, e))
    return MDK_EINPUT;
  mdk_ir_hash_all(g);
  return MDK_OK;
}

enum mdk_status mdk_be_build(struct mdk_be_store *s, struct mdk_ir_graph *g,
                             const struct mdk_be_build_opts *o,
                             struct mdk_be_image *out, struct mdk_err *e)
{
  struct run r;
  struct mdk_be_progress_w pw;
  enum mdk_status st = MDK_OK;
  int nsteps, id;
  size_t i;
  time_t now = (time_t)o->now;
  struct tm tm;
  int target = g->target;

  memset(&r, 0, sizeof(r));
  memset(out, 0, sizeof(*out));
  r.s = s;
  r.g = g;
  r.o = o;
  r.ctxfd = -1;
  mdk_arena_init(&r.a);
  mdk_be_progress_init(&pw, o->progress, o->progress_fmt, mask_for_progress,
                       &r);
  pw.platform = o->platform_label;
  r.pw = &pw;
  nsteps = number_steps(&r);
  /* several platforms: each its own range of numbers (BuildKit numbers
   * the steps of one solve once) */
  if(o->step_ids)
    pw.id_base = __atomic_fetch_add(o->step_ids, nsteps, __ATOMIC_SEQ_CST);
  /* the definition and the base images were read before the build */
  for(id = 1; id <= 1 + (int)count_images(g); id++) {
    mdk_be_progress_start(&pw, id);
    mdk_be_progress_end(&pw, id, MDK_STEP_DONE, NULL, NULL, NULL);
  }
  gmtime_r(&now, &tm);
  strftime(r.created, sizeof(r.created), "%Y-%m-%dT%H:%M:%SZ", &tm);
  {
    char tmpdir[4200], name[4300];
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", s->root);
    r.work = mdk_arena_printf(&r.a, "%s", mdk_temp_name(name, sizeof(name), tmpdir,
                                                  "build"));
  }
  if(mkdir(r.work, 0700)) {
    st = mdk_fail(e, MDK_EIO, "cannot create %s: %s", r.work,
                     strerror(errno));
    goto done;
  }
  r.ctxfd = open(o->context ? o->context : ".",
                 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(r.ctxfd < 0) {
    st = mdk_fail(e, MDK_EIO, "cannot open the build context %s: %s",
                     o->context ? o->context : ".", strerror(errno));
    goto done;
  }
  {
    /* DOCKERFILE.dockerignore beside the Dockerfile wins over the
     * context's .dockerignore, as in BuildKit */
    char *alt = o->dockerfile ? mdk_arena_printf(&r.a, "%s.dockerignore",
                                                 o->dockerfile) : NULL;
    char *main_ig = mdk_arena_printf(&r.a, "%s/.dockerignore",
                                     o->context ? o->context : ".");
    FILE *f = alt ? fopen(alt, "r") : NULL;
    if(!f)
      f = fopen(main_ig, "r");
    if(f) {
      struct mdk_buf b;
      char buf[4096];
      size_t n;
      mdk_buf_init(&b, 16 << 20);
      while((n = fread(buf, 1, sizeof(buf), f)) > 0)
        mdk_buf_append(&b, buf, n);
      fclose(f);
      mdk_ignore_parse(&r.a, mdk_str_make(b.ptr ? b.ptr : "", b.len),
                       &r.ignore);
      mdk_buf_free(&b);
    }
  }
  r.st = mdk_arena_array(&r.a, struct stage_run, g->nstages + 1);
  for(i = 0; i < g->nstages; i++)
    pthread_mutex_init(&r.st[i].mu, NULL);
  /* stage roots are overlays mounted in a namespace of the build's own:
   * they vanish with the process, however it ends */
  r.private_mounts = geteuid() == 0 && !getenv("MDOCK_NO_OVERLAY_ROOTS") &&
                     unshare(CLONE_NEWNS) == 0 &&
                     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
  while(target >= 0 && g->stages[target]->alias_of >= 0)
    target = g->stages[target]->alias_of;
  st = build_levels(&r, e);
  if(!st && (target < 0 || !r.st[target].built))
    st = mdk_fail(e, MDK_EINPUT, "the target stage was not built");
  if(!st) {
    json_t *labels = o->nlabels ? obj_field(cfg_obj(&r.st[target].im),
                                            "Labels") : NULL;
    for(i = 0; i < o->nlabels; i++) {
      const char *eq = strchr(o->labels[i], '=');
      char *k = mdk_arena_strndup(&r.a, o->labels[i],
                                  eq ? (size_t)(eq - o->labels[i])
                                     : strlen(o->labels[i]));
      json_object_set_new(labels, k, json_string(eq ? eq + 1 : ""));
    }
    mdk_be_progress_start(&pw, nsteps);
    st = mdk_be_image_store(s, &r.st[target].im, e);
    if(!st) {
      /* the image's force mark: new when a step was forced, else the one
       * of the image its stages stand on */
      int b = target;
      while(b >= 0 && g->stages[b]->base_kind == MDK_IR_BASE_STAGE)
        b = g->stages[b]->base_stage;
      if(r.st[target].forced)
        force_mark_set(s, r.st[target].im.manifest, MDK_STR_NULL);
      else if(b >= 0 && g->stages[b]->base_force.len)
        force_mark_set(s, r.st[target].im.manifest, g->stages[b]->base_force);
    }
    if(!st) {
      char line[200];
      *out = r.st[target].im;
      r.st[target].im.config = r.st[target].im.layers = NULL;
      snprintf(line, sizeof(line), "writing image %s done",
               out->config_digest);
      mdk_be_progress_line(&pw, nsteps, line, strlen(line));
    }
    mdk_be_progress_end(&pw, nsteps, st ? MDK_STEP_ERROR : MDK_STEP_DONE,
                        NULL, NULL, st ? e->msg : NULL);
  }
done:
  mdk_be_progress_summary(&pw, st ? NULL : out->config_digest,
                          st ? e->msg : NULL, mdk_be_canceled());
  mdk_be_progress_fini(&pw);
  for(i = 0; r.st && i < g->nstages; i++)
    mdk_be_image_free(&r.st[i].im);
  if(r.ctxfd >= 0)
    close(r.ctxfd);
  mdk_ignore_free(&r.ignore);
  for(i = 0; r.st && i < g->nstages; i++)
    if(r.st[i].mounted)
      (void)umount2(r.st[i].rootfs, MNT_DETACH);
  if(r.work)
    mdk_rmtree(r.work);
  for(i = 0; i < r.ntasks; i++)
    mdk_arena_fini(&r.tasks[i].r.a);
  mdk_arena_fini(&r.a);
  return st;
}
