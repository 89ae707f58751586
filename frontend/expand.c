/* expand.c - walks the typed instructions in order with BuildKit's variable
 * scopes (dockerfile2llb convert.go: buildMetaArgs, dispatchArg, dispatch)
 * and expands what the builder expands (reference §3.3). */
#include "frontend/expand.h"

#include "base/base.h"

#include <string.h>

#include "frontend/lineparse.h"
#include "frontend/mount.h"
#include "frontend/stage_ref.h"
#include "frontend/validate.h"

struct scope {
  struct mdk_vec kv;             /* struct mdk_fe_kv, lookup: last wins */
};

struct st {
  struct mdk_arena *a;
  struct mdk_diags *diags;
  const struct mdk_fe_expand_opts *o;
  const struct mdk_fe_cmd *cmd;
  struct mdk_fe_xcmd *x;
  struct mdk_vec vals;           /* struct mdk_fe_xval */
  struct mdk_vec used, unset;    /* struct mdk_str */
  uint32_t escape;
  bool keep_refs;                /* this stage is built on an image */
  bool failed;
  /* bytes every expansion of the file produced: each word is capped, and
   * so is their sum (1,000 ARGs of a 2 MiB value would be 2 GB) */
  uint64_t produced;
  const struct mdk_str *stage_names;   /* every stage's, made on first use */
  size_t nstage_names;
};

static void scope_set(struct mdk_arena *a, struct scope *s, struct mdk_str k,
                      struct mdk_str v)
{
  struct mdk_fe_kv kv = {k, v};
  mdk_vec_push(a, &s->kv, &kv);
}

static bool scope_get(const struct scope *s, struct mdk_str k,
                      struct mdk_str *v)
{
  struct mdk_fe_kvlist l = {s->kv.items, s->kv.len};
  return mdk_fe_kvlist_get(&l, k, v);
}

static bool build_arg(const struct st *t, struct mdk_str name,
                      struct mdk_str *v)
{
  size_t i;
  for(i = t->o->nbuild_args; i-- > 0;)
    if(mdk_str_eq(t->o->build_args[i].key, name)) {
      *v = t->o->build_args[i].val;
      return true;
    }
  return false;
}

static void note(struct st *t, struct mdk_vec *v, struct mdk_str name)
{
  size_t i;
  for(i = 0; i < v->len; i++)
    if(mdk_str_eq(*mdk_vec_at(v, struct mdk_str, i), name))
      return;
  mdk_vec_push(t->a, v, &name);
}

static struct mdk_loc word_loc(const struct st *t, const struct mdk_fe_arg *a,
                               uint32_t off, uint32_t len, bool exact)
{
  const struct mdk_fe_node *n = t->cmd->onbuild ? t->cmd->onbuild
                                                : t->cmd->node;
  if(!exact)
    return mdk_fe_arg_loc(n, a);
  return mdk_fe_line_loc(n->line, a->off + off, len);
}

enum { W_WORD, W_WORDS, W_RAW };

/* A name an image's ENV could define ($@, $1, $? ... never are). */
static bool env_name(struct mdk_str n)
{
  size_t i;
  if(!n.len || (n.ptr[0] >= '0' && n.ptr[0] <= '9'))
    return false;
  for(i = 0; i < n.len; i++) {
    char c = n.ptr[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80))
      return false;
  }
  return true;
}

/* With keep_base_refs, special parameters still expand to "" (they are
 * unset whatever the base image says). */
static bool get_keep_refs(void *ud, struct mdk_str name, struct mdk_str *val)
{
  if(mdk_fe_kvlist_get(ud, name, val))
    return true;
  if(!env_name(name)) {
    *val = MDK_STR_NULL;
    return true;
  }
  return false;
}

/* Expands one word of the current instruction; records values, variables
 * and dialect errors.  Returns false on an expansion error. */
static bool expand(struct st *t, const struct scope *env, const char *what,
                   const struct mdk_fe_arg *arg, struct mdk_str raw, int mode,
                   struct mdk_str *out)
{
  struct mdk_fe_shlex_opts o = {t->escape, false, false, mode == W_RAW,
                                false};
  struct mdk_fe_kvlist l = {env->kv.items, env->kv.len};
  struct mdk_fe_env e = {mdk_fe_kvlist_get, &l};
  struct mdk_fe_shlex_result r;
  if(t->keep_refs) {
    o.skip_unset_env = true;
    e.get = get_keep_refs;
  }
  bool exact = arg && !t->cmd->node->json && arg->len == raw.len;
  size_t i;

  if(mode == W_RAW)
    o.escape = '\\';
  if(t->produced > mdk_limit(MDK_LIMIT_EXPANSION_TOTAL)) {
    /* said once, at the word that crossed it */
    if(out)
      *out = raw;
    return false;
  }
  if(mdk_fe_shlex_process(t->a, &o, raw, &e, &r)) {
    /* a word past the expansion limit is an attack on the builder, not a
     * value to show as written: an error even for inspection */
    bool lenient = t->o->lenient && !r.err_limit;
    struct mdk_diag *d = mdk_diag_add(t->diags, lenient ? MDK_SEV_WARNING
                                                        : MDK_SEV_ERROR,
                                      arg ? word_loc(t, arg, r.err_off, 1,
                                                     exact)
                                          : mdk_fe_node_loc(t->cmd->node),
                                      "%s", r.err);
    if(strstr(r.err, "looking for matching") &&
       (t->cmd->kind == MDK_FE_COPY || t->cmd->kind == MDK_FE_ADD) &&
       !t->cmd->node->json && t->o->dialect == MDK_FE_DIALECT_MODAL)
      /* Modal's client reads COPY sources from the text: the JSON form
       * that would fix this for BuildKit uploads nothing there */
      mdk_diag_hint(t->diags, d, "%s splits its arguments on spaces without "
                    "regard to quotes, and Modal cannot upload the JSON "
                    "form's sources: rename the path so it has no space",
                    t->cmd->kind == MDK_FE_COPY ? "COPY" : "ADD");
    else if(strstr(r.err, "looking for matching") &&
       (t->cmd->kind == MDK_FE_COPY || t->cmd->kind == MDK_FE_ADD) &&
       !t->cmd->node->json)
      mdk_diag_hint(t->diags, d, "%s splits its arguments on spaces without "
                    "regard to quotes: use the JSON form, e.g. "
                    "[\"my file\", \"/dest/\"]",
                    t->cmd->kind == MDK_FE_COPY ? "COPY" : "ADD");
    else if(strstr(r.err, "looking for matching"))
      mdk_diag_hint(t->diags, d, "close the quote, or escape it as \\\" or "
                    "\\'");
    else if(strstr(r.err, "(\xef\xbf\xbd)"))
      mdk_diag_hint(t->diags, d, "the ${ is not closed: add the }");
    else if(r.err_limit)
      mdk_diag_hint(t->diags, d, "a variable that repeats another many "
                    "times over is a mistake or an attack; if the value is "
                    "meant, set MDOCK_MAX_EXPANSION to more bytes");
    else
      mdk_diag_hint(t->diags, d, "check the ${...} syntax; escape a literal "
                    "$ as \\$");
    if(!lenient) {
      t->failed = true;
      return false;
    }
    /* lenient: keep the word as written and say so */
    t->x->unexpanded = true;
    {
      struct mdk_fe_xval xv = {what, raw, raw, {0}};
      if(arg)
        xv.loc = word_loc(t, arg, 0, 0, false);
      mdk_vec_push(t->a, &t->vals, &xv);
    }
    if(out)
      *out = raw;
    return false;
  }
  t->produced += r.word.len;
  for(i = 0; i < r.nwords; i++)
    t->produced += r.words[i].len;
  if(t->produced > mdk_limit(MDK_LIMIT_EXPANSION_TOTAL)) {
    struct mdk_diag *d = mdk_diag_add(
      t->diags, MDK_SEV_ERROR,
      arg ? word_loc(t, arg, 0, 1, exact) : mdk_fe_node_loc(t->cmd->node),
      "the expansions of this Dockerfile grow past %llu bytes in all (%s "
      "raises the limit)",
      (unsigned long long)mdk_limit(MDK_LIMIT_EXPANSION_TOTAL),
      mdk_limit_env(MDK_LIMIT_EXPANSION_TOTAL));
    mdk_diag_hint(t->diags, d, "variables that repeat large values over "
                  "many instructions are a mistake or an attack; if they "
                  "are meant, set %s to more bytes",
                  mdk_limit_env(MDK_LIMIT_EXPANSION_TOTAL));
    t->failed = true;
    if(out)
      *out = raw;
    return false;
  }
  for(i = 0; i < r.nmatched; i++)
    if(env_name(r.matched[i]) || !t->keep_refs)
      note(t, &t->used, r.matched[i]);
  for(i = 0; i < r.nunmatched; i++)
    note(t, &t->unset, r.unmatched[i]);
  if(t->o->dialect == MDK_FE_DIALECT_MODAL) {
    for(i = 0; i < r.nmods; i++) {
      const struct mdk_fe_shlex_modifier *m = &r.mods[i];
      struct mdk_diag *d;
      if(!(m->kind & (MDK_FE_USE_DEFAULT | MDK_FE_USE_ALT |
                      MDK_FE_USE_ERROR)))
        continue;
      d = mdk_diag_add(t->diags, MDK_SEV_ERROR,
                       arg ? word_loc(t, arg, m->off, m->len, exact)
                           : mdk_fe_node_loc(t->cmd->node),
                       "Modal does not support default values in "
                       "interpolation: %.*s", (int)m->len, raw.ptr + m->off);
      mdk_diag_hint(t->diags, d, "use plain ${%.*s} and give it a default "
                    "with ARG %.*s=<default>", MDK_STR_FMT(m->name),
                    MDK_STR_FMT(m->name));
      t->failed = true;
    }
  }
  if(mode == W_WORDS) {
    for(i = 0; i < r.nwords; i++) {
      struct mdk_fe_xval xv = {what, raw, r.words[i], {0}};
      if(arg)
        xv.loc = word_loc(t, arg, 0, 0, false);
      mdk_vec_push(t->a, &t->vals, &xv);
    }
  }
  else {
    struct mdk_fe_xval xv = {what, raw, r.word, {0}};
    if(arg)
      xv.loc = word_loc(t, arg, 0, 0, false);
    mdk_vec_push(t->a, &t->vals, &xv);
  }
  if(out)
    *out = r.word;
  return true;
}

/* Reports a failed value check at arg. */
static void check(struct st *t, const struct mdk_fe_arg *arg, const char *msg,
                  const char *hint)
{
  struct mdk_diag *d;
  if(!msg)
    return;
  d = mdk_diag_add(t->diags, t->o->lenient ? MDK_SEV_WARNING : MDK_SEV_ERROR,
                   arg ? word_loc(t, arg, 0, 0, false)
                       : mdk_fe_node_loc(t->cmd->node), "%s", msg);
  if(hint)
    mdk_diag_hint(t->diags, d, "%s", hint);
  if(!t->o->lenient)
    t->failed = true;
}

/* The names of every stage of the file, in order (FROM ... AS name). */
static const struct mdk_str *all_stage_names(struct mdk_arena *a,
                                             const struct mdk_fe_file *file,
                                             size_t *n)
{
  struct mdk_str *names = mdk_arena_array(a, struct mdk_str, file->ncmds + 1);
  size_t i;
  *n = 0;
  for(i = 0; i < file->ncmds; i++)
    if(file->cmds[i].kind == MDK_FE_FROM)
      names[(*n)++] = file->cmds[i].stage_name;
  return names;
}

/* FROM base: one of the n stages before it, or -1 (an image) */
static int from_stage(struct st *t, const struct mdk_fe_file *file, size_t n,
                      struct mdk_str base)
{
  if(!t->stage_names)
    t->stage_names = all_stage_names(t->a, file, &t->nstage_names);
  return mdk_fe_stage_lookup(t->stage_names, n, base, MDK_FE_REF_FROM);
}

/* COPY --from / RUN --mount=from: an earlier stage (by name, or by index for
 * COPY), else an image; a stage defined later is an error. */
static void check_stage_ref(struct st *t, const struct mdk_fe_file *file,
                            int cur, const struct mdk_fe_arg *arg,
                            struct mdk_str ref, bool allow_index)
{
  long idx = allow_index ? mdk_fe_stage_index(ref) : -1;
  int at;
  if(!t->stage_names)
    t->stage_names = all_stage_names(t->a, file, &t->nstage_names);
  at = mdk_fe_stage_lookup(t->stage_names, t->nstage_names, ref,
                           allow_index ? MDK_FE_REF_COPY_FROM
                                       : MDK_FE_REF_MOUNT_FROM);
  if(idx >= 0) {
    if(idx >= cur)
      check(t, arg, mdk_arena_printf(t->a, "cannot copy from stage %ld, it "
                                     "needs to be defined before current "
                                     "stage", idx),
            "stage indexes count FROM lines from 0; name the stage with "
            "FROM ... AS name and use that name");
    return;
  }
  if(at == cur)
    check(t, arg, mdk_arena_printf(t->a, "circular dependency detected on "
                                   "stage: %.*s", MDK_STR_FMT(ref)),
          "a stage cannot copy from itself: name an earlier stage");
  else if(at > cur)
    check(t, arg, mdk_arena_printf(t->a, "cannot copy from stage \"%.*s\", "
                                   "it needs to be defined before current "
                                   "stage", MDK_STR_FMT(ref)),
          "move that stage above this one");
  if(at < 0 && ref.len && mdk_str_index(ref, '$') < 0) {
    /* not a stage: an image reference, checked as BuildKit parses it */
    const char *hint = NULL;
    const char *msg = mdk_fe_check_image_ref(t->a, ref, &hint);
    if(msg)
      check(t, arg, mdk_arena_printf(t->a, "invalid from flag value %.*s: "
                                     "%s", MDK_STR_FMT(ref), msg),
            "name an earlier stage (FROM ... AS name) or an image");
  }
}

static void keep(struct st *t, const char *what, const struct mdk_fe_arg *arg)
{
  struct mdk_fe_xval xv = {what, arg->val, arg->val,
                           word_loc(t, arg, 0, 0, false)};
  mdk_vec_push(t->a, &t->vals, &xv);
}


static void define_arg(struct st *t, struct scope *env,
                       const struct scope *meta,
                       const struct mdk_fe_argdef *d)
{
  struct mdk_str v;
  if(build_arg(t, d->name, &v)) {
    struct mdk_fe_xval xv = {"arg", d->arg->val, v,
                             word_loc(t, d->arg, 0, 0, false)};
    mdk_vec_push(t->a, &t->vals, &xv);
    scope_set(t->a, env, d->name, v);
  }
  else if(d->has_value) {
    if(expand(t, env, "arg", d->arg, d->value, W_WORD, &v))
      scope_set(t->a, env, d->name, v);
  }
  else if(meta && scope_get(meta, d->name, &v)) {
    scope_set(t->a, env, d->name, v);
  }
}

static void builtin_args(struct st *t, struct scope *s,
                         const struct mdk_fe_file *file)
{
  struct mdk_str target = mdk_str_c("default");
  size_t i;
  for(i = 0; i < file->ncmds; i++)
    if(file->cmds[i].kind == MDK_FE_FROM)
      target = file->cmds[i].stage_name.len ? file->cmds[i].stage_name
                                            : mdk_str_c("default");
  const char *tp = t->o->target_platform ? t->o->target_platform
                                         : mdk_platform_host_str();
  struct mdk_platform bp;
  const char *slash = strchr(tp, '/');
  const char *slash2 = slash ? strchr(slash + 1, '/') : NULL;
  struct mdk_str os = mdk_str_make(tp, slash ? (size_t)(slash - tp)
                                             : strlen(tp));
  struct mdk_str arch = slash ? mdk_str_make(slash + 1, slash2
                                             ? (size_t)(slash2 - slash - 1)
                                             : strlen(slash + 1))
                              : mdk_str_c("amd64");
  struct mdk_str variant = slash2 ? mdk_str_c(slash2 + 1) : mdk_str_c("");
  scope_set(t->a, s, mdk_str_c("TARGETPLATFORM"), mdk_str_c(tp));
  scope_set(t->a, s, mdk_str_c("TARGETOS"), os);
  scope_set(t->a, s, mdk_str_c("TARGETARCH"), arch);
  scope_set(t->a, s, mdk_str_c("TARGETVARIANT"), variant);
  /* the build platform: this machine (BuildKit's worker platform) */
  mdk_platform_host(&bp);
  scope_set(t->a, s, mdk_str_c("BUILDPLATFORM"),
            mdk_str_c(mdk_platform_host_str()));
  scope_set(t->a, s, mdk_str_c("BUILDOS"),
            mdk_str_dup(t->a, mdk_str_c(bp.os)));
  scope_set(t->a, s, mdk_str_c("BUILDARCH"),
            mdk_str_dup(t->a, mdk_str_c(bp.arch)));
  scope_set(t->a, s, mdk_str_c("BUILDVARIANT"),
            mdk_str_dup(t->a, mdk_str_c(bp.variant)));
  scope_set(t->a, s, mdk_str_c("TARGETOSVERSION"), mdk_str_c(""));
  scope_set(t->a, s, mdk_str_c("BUILDOSVERSION"), mdk_str_c(""));
  /* the final stage's name: --target is the IR's business (issue 3) */
  scope_set(t->a, s, mdk_str_c("TARGETSTAGE"), target);
}

/* strconv.ParseInt(v, 10, 64) */
static bool parse_int64(struct mdk_str v, int64_t *out)
{
  size_t i = 0;
  bool neg = false;
  unsigned long long x = 0;
  if(i < v.len && (v.ptr[i] == '+' || v.ptr[i] == '-'))
    neg = v.ptr[i++] == '-';
  if(i == v.len)
    return false;
  for(; i < v.len; i++) {
    if(v.ptr[i] < '0' || v.ptr[i] > '9')
      return false;
    x = x * 10 + (unsigned)(v.ptr[i] - '0');
    if(x > (unsigned long long)INT64_MAX + neg)
      return false;
  }
  *out = neg ? (int64_t)(0 - x) : (int64_t)x;
  return true;
}

/* SOURCE_DATE_EPOCH, from a build arg or a global ARG's value (BuildKit's
 * getBuildArgValue): a number of seconds is the build's time; "context" or
 * a stage's name ask for a source's own time, which a local context does
 * not have; anything else is an error (dockerfile2llb/epoch.go). */
static void source_date_epoch(struct st *t, const struct scope *meta,
                              const struct mdk_fe_file *file,
                              const struct mdk_fe_cmd *decl_cmd,
                              const struct mdk_fe_arg *decl,
                              struct mdk_fe_sem *sem)
{
  struct mdk_str name = mdk_str_c("SOURCE_DATE_EPOCH"), v;
  size_t i;
  sem->epoch = -1;
  if(!build_arg(t, name, &v) && !scope_get(meta, name, &v))
    return;
  if(!v.len || parse_int64(v, &sem->epoch) || mdk_str_eq_c(v, "context"))
    return;
  for(i = 0; i < file->ncmds; i++)
    if(file->cmds[i].kind == MDK_FE_FROM &&
       mdk_str_eq(mdk_str_lower(t->a, v), file->cmds[i].stage_name))
      return;
  t->cmd = decl_cmd ? decl_cmd : &file->cmds[0];
  {
    struct mdk_diag *d = mdk_diag_add(
      t->diags, MDK_SEV_ERROR,
      decl ? word_loc(t, decl, 0, 0, false)
           : mdk_fe_node_loc(file->cmds[0].node),
      "invalid SOURCE_DATE_EPOCH: %.*s", MDK_STR_FMT(v));
    mdk_diag_hint(t->diags, d, "give a number of seconds since 1970 "
                  "(e.g. $(git log -1 --format=%%ct)), \"context\" or a "
                  "stage's name");
    t->failed = true;
  }
}

enum mdk_status mdk_fe_expand(struct mdk_arena *a, struct mdk_diags *diags,
                              const struct mdk_fe_file *file,
                              const struct mdk_fe_expand_opts *opts,
                              struct mdk_fe_sem **out)
{
  struct mdk_fe_sem *sem = mdk_arena_new(a, struct mdk_fe_sem);
  struct st t = {0};
  struct scope meta = {MDK_VEC_INIT(struct mdk_fe_kv)};
  struct scope *envs;
  struct mdk_vec stages = MDK_VEC_INIT(struct mdk_fe_stage);
  int cur = -1;
  size_t i, j;
  bool *image_rooted;
  int *env_of;                  /* the scope each x->env was taken from */
  const struct mdk_fe_arg *epoch_decl = NULL;
  const struct mdk_fe_cmd *epoch_cmd = NULL;

  t.a = a;
  t.diags = diags;
  t.o = opts;
  t.escape = file->ast->escape;
  sem->file = file;
  sem->x = mdk_arena_array(a, struct mdk_fe_xcmd, file->ncmds + 1);
  envs = mdk_arena_array(a, struct scope, file->ncmds + 1);
  image_rooted = mdk_arena_array(a, bool, file->ncmds + 1);
  env_of = mdk_arena_array(a, int, file->ncmds + 1);
  /* FROM sees the declared global ARGs and the platform ARGs; a build arg
   * only overrides a declared ARG (define_arg) */
  builtin_args(&t, &meta, file);

  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_node *n = c->node;
    struct scope *env = cur >= 0 ? &envs[cur] : &meta;
    struct mdk_fe_xcmd *x = &sem->x[i];
    struct mdk_str v;

    t.cmd = c;
    t.x = x;
    /* a FROM line sees only the global ARGs: never the ENV of the stage
     * above it, whatever that stage's base */
    t.keep_refs = opts->keep_base_refs && cur >= 0 && image_rooted[cur] &&
                  c->kind != MDK_FE_FROM;
    t.vals = MDK_VEC_INIT(struct mdk_fe_xval);
    t.used = MDK_VEC_INIT(struct mdk_str);
    t.unset = MDK_VEC_INIT(struct mdk_str);
    x->stage = cur;
    x->expands = true;
    env_of[i] = -1;
    if(cur >= 0) {
      x->env = env->kv.items;
      x->nenv = env->kv.len;
      env_of[i] = cur;
    }
    switch(c->kind) {
    case MDK_FE_FROM: {
      struct mdk_fe_stage sg = {0};
      const struct mdk_fe_arg *plat = NULL;
      const struct mdk_fe_flagval *pf = mdk_fe_cmd_flag(c, "platform");
      if(pf && pf->set)
        plat = &pf->vals[pf->nvals - 1];
      if(!c->base)
        break;
      /* FROM sees only the global ARGs (and build args) */
      expand(&t, &meta, "base", c->base, c->base->val, W_WORD, &sg.base);
      if(plat)
        expand(&t, &meta, "platform", plat, plat->val, W_WORD, &sg.platform);
      if(c->stage_arg)
        keep(&t, "name", c->stage_arg);
      if(t.failed)
        ;
      else {
        bool is_stage = from_stage(&t, file, stages.len, sg.base) >= 0;
        const char *hint = NULL, *msg = NULL;
        if(!is_stage && !mdk_str_eq_c(sg.base, "scratch")) {
          msg = mdk_fe_check_image_ref(a, sg.base, &hint);
          /* BuildKit names the base as written: "base name ($IMAGE)" */
          if(!sg.base.len)
            msg = mdk_arena_printf(a, "base name (%.*s) should not be blank",
                                   MDK_STR_FMT(c->base->val));
          check(&t, c->base, msg, hint);
        }
        if(plat) {
          msg = mdk_fe_check_platform(a, sg.platform, &hint);
          check(&t, plat, msg, hint);
        }
      }
      /* a named context stands for the image it names (not a stage) */
      if(!t.failed && from_stage(&t, file, stages.len, sg.base) < 0)
        sg.base = mdk_fe_named_context(opts->named, opts->nnamed, sg.base);
      sg.name = c->stage_name;
      sg.parent = -1;
      sg.first_cmd = i;
      cur = (int)stages.len;
      x->stage = cur;
      envs[cur].kv = MDK_VEC_INIT(struct mdk_fe_kv);
      sg.parent = from_stage(&t, file, stages.len, sg.base);
      if(sg.parent >= 0) {
        size_t k, pj = (size_t)sg.parent;
        for(k = 0; k < envs[pj].kv.len; k++)
          mdk_vec_push(a, &envs[cur].kv,
                       mdk_vec_at(&envs[pj].kv, struct mdk_fe_kv, k));
      }
      image_rooted[cur] = sg.parent >= 0 ? image_rooted[sg.parent]
                                         : !mdk_str_eq_c(sg.base, "scratch");
      /* BuildKit's empty image (dockerfile2llb emptyImage) has the
       * default PATH, so `ENV PATH=/x:$PATH` keeps it */
      if(sg.parent < 0 && mdk_str_eq_c(sg.base, "scratch") &&
         !mdk_str_has_prefix(sg.platform.len ? sg.platform
                             : mdk_str_c(opts->target_platform), "windows"))
        scope_set(a, &envs[cur], mdk_str_c("PATH"),
                  mdk_str_c(MDK_DEFAULT_PATH));
      if(sg.parent < 0 && image_rooted[cur] && opts->base_env) {
        const struct mdk_fe_kv *be = NULL;
        size_t nb = 0, k;
        /* the stage's platform's image: an index holds one per platform */
        struct mdk_str pl = sg.platform.len ? sg.platform
                          : mdk_str_c(opts->target_platform
                                      ? opts->target_platform
                                      : mdk_platform_host_str());
        if(opts->base_env(opts->base_env_ctx, a, sg.base, pl, &be, &nb)) {
          for(k = 0; k < nb; k++)
            scope_set(a, &envs[cur], be[k].key, be[k].val);
          image_rooted[cur] = false;    /* its config is known */
        }
      }
      sg.env_known = !image_rooted[cur];
      mdk_vec_push(a, &stages, &sg);
      break;
    }
    case MDK_FE_ARG:
      for(j = 0; j < c->nargdefs; j++) {
        define_arg(&t, env, cur >= 0 ? &meta : NULL, &c->argdefs[j]);
        if(cur < 0 && mdk_str_eq_c(c->argdefs[j].name, "SOURCE_DATE_EPOCH"))
        {
          epoch_decl = c->argdefs[j].arg;
          epoch_cmd = c;
        }
      }
      break;
    case MDK_FE_ENV:
    case MDK_FE_LABEL: {
      /* every substitution sees the environment from before the line */
      struct scope before = {env->kv};
      struct mdk_str *ks = mdk_arena_array(a, struct mdk_str, c->npairs + 1);
      struct mdk_str *vs = mdk_arena_array(a, struct mdk_str, c->npairs + 1);
      bool ok = true;
      for(j = 0; j < c->npairs; j++) {
        ok &= expand(&t, &before, "key", &c->keys[j * 3], c->keys[j * 3].val,
                     W_WORD, &ks[j]);
        ok &= expand(&t, &before, "value", &c->keys[j * 3 + 1],
                     c->keys[j * 3 + 1].val, W_WORD, &vs[j]);
      }
      if(ok && c->kind == MDK_FE_ENV)
        for(j = 0; j < c->npairs; j++)
          scope_set(a, env, ks[j], vs[j]);
      break;
    }
    case MDK_FE_ADD:
    case MDK_FE_COPY: {
      static const char *const fl[] = {"chown", "chmod", "checksum"};
      const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");
      for(j = 0; j < 3; j++) {
        const struct mdk_fe_flagval *f = mdk_fe_cmd_flag(c, fl[j]);
        struct mdk_str val;
        const char *hint = NULL, *msg = NULL;
        if(f && f->set &&
           expand(&t, env, fl[j], &f->vals[f->nvals - 1],
                  f->vals[f->nvals - 1].val, W_WORD, &val) && j == 1 &&
           val.len) {
          /* an empty --chmod (or one whose variable is unset) is no
           * chmod: BuildKit reads the mode only when it is not "" */
          msg = mdk_fe_check_chmod(a, val, &hint);
          check(&t, &f->vals[f->nvals - 1], msg, hint);
        }
      }
      if(from && from->set)
        check_stage_ref(&t, file, cur, &from->vals[from->nvals - 1],
                        from->vals[from->nvals - 1].val, true);
      for(j = 0; j < c->nargs; j++) {
        const struct mdk_fe_arg *ag = &c->args[j];
        bool last = j + 1 == c->nargs;
        if(!last && !n->json && n->nheredocs &&
           mdk_fe_word_is_heredoc(ag->val))
          continue;
        expand(&t, env, last ? "dest" : "source", ag, ag->val, W_WORD, NULL);
      }
      for(j = 0; j < n->nheredocs; j++)
        if(n->heredocs[j].expand && c->kind == MDK_FE_COPY)
          expand(&t, env, "heredoc", NULL, n->heredocs[j].content, W_RAW,
                 NULL);
      break;
    }
    case MDK_FE_EXPOSE:
      for(j = 0; j < c->nargs; j++) {
        size_t before = t.vals.len, k;
        if(!expand(&t, env, "port", &c->args[j], c->args[j].val, W_WORDS,
                   NULL))
          continue;
        for(k = before; k < t.vals.len; k++) {
          const char *hint = NULL, *msg = NULL;
          bool mapped;
          msg = mdk_fe_check_port(a, mdk_vec_at(&t.vals, struct mdk_fe_xval,
                                                k)->val, &mapped, &hint);
          check(&t, &c->args[j], msg, hint);
        }
      }
      break;
    case MDK_FE_STOPSIGNAL:
      if(c->nargs == 1 && expand(&t, env, "value", &c->args[0],
                                 c->args[0].val, W_WORD, &v)) {
        const char *hint = NULL, *msg = NULL;
        msg = mdk_fe_check_signal(a, v, &hint);
        check(&t, &c->args[0], msg, hint);
      }
      break;
    case MDK_FE_USER:
    case MDK_FE_WORKDIR:
    case MDK_FE_VOLUME:
      for(j = 0; j < c->nargs; j++) {
        struct mdk_str pv = MDK_STR_NULL;
        bool ok = expand(&t, env, c->kind == MDK_FE_VOLUME ? "path" : "value",
                         &c->args[j], c->args[j].val, W_WORD, &pv);
        /* VOLUME "" or VOLUME $UNSET: dockerfile2llb's dispatchVolume
         * checks the expanded path */
        if(ok && c->kind == MDK_FE_VOLUME && !pv.len)
          check(&t, &c->args[j], "VOLUME specified can not be an empty "
                "string", "remove the empty path (or set the variable)");
      }
      break;
    case MDK_FE_RUN:
      x->mounts = mdk_arena_array(a, struct mdk_fe_mount, c->nmounts + 1);
      x->nmounts = c->nmounts;
      for(j = 0; j < c->nmounts; j++) {
        struct mdk_fe_mount *m = &x->mounts[j];
        const char *hint = NULL;
        size_t k;
        bool ok = true;
        *m = c->mounts[j];
        m->fields = mdk_arena_array(a, struct mdk_fe_mount_field,
                                    m->nfields + 1);
        for(k = 0; k < m->nfields; k++) {
          struct mdk_fe_mount_field *f = &m->fields[k];
          *f = c->mounts[j].fields[k];
          if(f->bare)
            continue;
          if(mdk_str_eq_c(f->key, "from")) {
            check_stage_ref(&t, file, cur, m->flag, f->val, false);
            continue;
          }
          ok &= expand(&t, env, "mount", m->flag, f->val, W_WORD, &f->val);
        }
        /* BuildKit checks the values after expanding them */
        if(ok) {
          const char *msg = mdk_fe_mount_resolve(a, m, &hint);
          check(&t, m->flag, msg, hint);
        }
      }
      x->expands = c->nmounts > 0;
      break;
    default:
      /* RUN text, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER, ONBUILD:
       * left to the shell or to the downstream build */
      x->expands = false;
      break;
    }
    x->vals = t.vals.items;
    x->nvals = t.vals.len;
    x->used = t.used.items;
    x->nused = t.used.len;
    x->unset = t.unset.items;
    x->nunset = t.unset.len;
    if(cur >= 0)
      mdk_vec_at(&stages, struct mdk_fe_stage, cur)->ncmds =
        i + 1 - mdk_vec_at(&stages, struct mdk_fe_stage, cur)->first_cmd;
  }
  /* A scope only grows, but growing may move it (a large arena block is
   * realloc'd): each x->env is the final buffer's prefix it saw. */
  for(i = 0; i < file->ncmds; i++)
    if(env_of[i] >= 0)
      sem->x[i].env = envs[env_of[i]].kv.items;
  sem->stages = stages.items;
  sem->nstages = stages.len;
  if(file->ncmds)
    source_date_epoch(&t, &meta, file, epoch_cmd, epoch_decl, sem);
  *out = sem;
  return t.failed ? MDK_EEXPAND : MDK_OK;
}
