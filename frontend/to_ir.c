/* to_ir.c - typed, expanded instructions to the layer IR (the role of
 * BuildKit's dockerfile2llb dispatch): per stage it tracks the image config
 * the instructions build up (WORKDIR, USER, SHELL, the ARG/ENV scope) and
 * turns every instruction into run / copy / add / mkdir / config ops with
 * fully expanded fields. */
#include "frontend/frontend.h"

#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "frontend/lineparse.h"
#include "frontend/mount.h"
#include "frontend/history.h"
#include "ir/ir.h"

struct stage_state {
  struct mdk_str workdir;     /* empty: the base image's (unknown) */
  struct mdk_str user;
  const struct mdk_str *shell;
  size_t nshell;
  const struct mdk_str *args; /* ARG names declared so far (RUN's history) */
  size_t nargs;
};

struct b {
  struct mdk_arena *a;
  struct mdk_diags *diags;
  const struct mdk_fe_sem *sem;
  const struct mdk_fe_ir_opts *o;
  struct mdk_ir_graph *g;
  struct stage_state *st;     /* per stage */
  const struct mdk_str *names;   /* the stage names, for the lookup */
};

static const struct mdk_str default_shell[] = {{"/bin/sh", 7}, {"-c", 2}};

static struct mdk_str xv(const struct mdk_fe_xcmd *x, const char *what,
                         size_t nth, bool *found)
{
  size_t i, k = 0;
  for(i = 0; i < x->nvals; i++)
    if(strcmp(x->vals[i].what, what) == 0 && k++ == nth) {
      *found = true;
      return x->vals[i].val;
    }
  *found = false;
  return MDK_STR_NULL;
}

/* a history entry of op, BuildKit's text */
static void hist(struct b *b, struct mdk_ir_op *op, bool layer,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void hist(struct b *b, struct mdk_ir_op *op, bool layer,
                 const char *fmt, ...)
{
  va_list ap;
  char *t;
  va_start(ap, fmt);
  t = mdk_arena_vprintf(b->a, fmt, ap);
  va_end(ap);
  mdk_ir_op_history(b->g, op, t, layer);
}

/* The instruction as written, keyword upper-cased (BuildKit's
 * uppercaseCmd of the original line) */
static char *as_written(struct b *b, const struct mdk_fe_cmd *c)
{
  const struct mdk_fe_node *n = c->node;
  struct mdk_str t = mdk_str_make(n->line->text.ptr + n->text_off,
                                  n->line->text.len - n->text_off);
  size_t kw = 0;
  char *out;
  while(kw < t.len && !mdk_ascii_is_space((unsigned char)t.ptr[kw]))
    kw++;
  out = mdk_arena_printf(b->a, "%s%s%.*s", c->from_onbuild ? "ONBUILD " : "",
                         mdk_fe_kind_name(c->kind), (int)(t.len - kw),
                         t.ptr + kw);
  {
    char *p = out + (c->from_onbuild ? 8 : 0);
    for(; *p && *p != ' '; p++)
      if(*p >= 'a' && *p <= 'z')
        *p = (char)(*p - 'a' + 'A');
  }
  return out;
}

/* The value of variable name in the scope x saw, or NULL */
static const struct mdk_str *scope_get(const struct mdk_fe_xcmd *x,
                                       struct mdk_str name)
{
  size_t i;
  const struct mdk_str *v = NULL;
  for(i = 0; i < x->nenv; i++)
    if(mdk_str_eq(x->env[i].key, name))
      v = &x->env[i].val;
  return v;
}

static int cmp_str(const void *a, const void *b)
{
  const struct mdk_str *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* One key of a KEY=VALUE list: where it first appears and where it was
 * last set.  Sorted by key (then position) to find repeats, then back by
 * first position. */
struct kv_ix {
  const struct mdk_fe_kv *kv;
  size_t first, last;
};

static int cmp_kv_ix(const void *a, const void *b)
{
  const struct kv_ix *x = a, *y = b;
  int c = cmp_str(&x->kv[x->first].key, &y->kv[y->first].key);
  return c ? c : (x->first > y->first) - (x->first < y->first);
}

static int cmp_first(const void *a, const void *b)
{
  const struct kv_ix *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

/* KEY=VALUE pairs as Docker applies them: a key set twice keeps its first
 * position and its last value (the key sorts them; the image keeps this
 * order).  Sorting finds the repeats: a stage's whole environment comes
 * here for every RUN, and a quadratic scan made long Dockerfiles hang. */
static void kv_field(struct b *b, struct mdk_ir_op *op, enum mdk_ir_fid name,
                     const struct mdk_fe_kv *kv, size_t n)
{
  struct mdk_str *v = mdk_arena_array(b->a, struct mdk_str, n + 1);
  struct kv_ix *ix = mdk_arena_array(b->a, struct kv_ix, n + 1);
  size_t i, g, m = 0;
  for(i = 0; i < n; i++)
    ix[i] = (struct kv_ix){kv, i, i};
  mdk_sort(ix, n, sizeof(*ix), cmp_kv_ix);
  for(i = 0; i < n; i = g) {
    for(g = i + 1; g < n && mdk_str_eq(kv[ix[g].first].key,
                                       kv[ix[i].first].key); g++)
      ;
    ix[m] = ix[i];
    ix[m].last = ix[g - 1].first;
    m++;
  }
  mdk_sort(ix, m, sizeof(*ix), cmp_first);
  for(i = 0; i < m; i++)
    v[i] = mdk_str_c(mdk_arena_printf(b->a, "%.*s=%.*s",
                                      MDK_STR_FMT(kv[ix[i].first].key),
                                      MDK_STR_FMT(kv[ix[i].last].val)));
  mdk_ir_field_list(b->g, op, name, v, m);
}

static struct mdk_ir_op *new_op(struct b *b, struct mdk_ir_stage *s,
                                enum mdk_ir_kind kind,
                                const struct mdk_fe_cmd *c,
                                const struct mdk_fe_xcmd *x)
{
  struct mdk_ir_op *op = mdk_ir_op_add(b->g, s, kind,
                                       c->from_onbuild
                                         ? mdk_arena_printf(b->a, "onbuild:%s",
                                             mdk_fe_kind_name(c->kind))
                                         : mdk_fe_kind_name(c->kind));
  char *up = mdk_arena_strndup(b->a, op->instr, strlen(op->instr));
  char *p;
  for(p = up; *p; p++)
    if(*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  op->instr = up;
  op->loc = mdk_fe_node_loc(c->node);
  op->line = c->node->start_line;
  /* "# mdock force-build" above an instruction: Modal's force_build */
  {
    size_t k;
    for(k = 0; k < c->node->ncomments; k++) {
      struct mdk_str t = c->node->comments[k];
      size_t i = 0;
      while(i < t.len && (t.ptr[i] == '#' || t.ptr[i] == ' ' ||
                          t.ptr[i] == '\t'))
        i++;
      if(t.len - i >= 17 && strncmp(t.ptr + i, "mdock force-build", 17) == 0)
        op->force = true;
    }
  }
  op->vars_used = x->used;
  op->nvars_used = x->nused;
  if(x->unexpanded)
    op->unexpanded = true;
  /* unset here, but the base image's config may define them */
  if(s->base_kind != MDK_IR_BASE_SCRATCH) {
    op->base_vars = x->unset;
    op->nbase_vars = x->nunset;
  }
  return op;
}

static struct mdk_str join_path(struct b *b, struct mdk_str dir,
                                struct mdk_str p)
{
  if(p.len && p.ptr[0] == '/')
    return p;
  if(!dir.len)
    dir = mdk_str_c("/");
  return mdk_str_c(mdk_arena_printf(b->a, "%.*s%s%.*s", MDK_STR_FMT(dir),
                                    dir.ptr[dir.len - 1] == '/' ? "" : "/",
                                    MDK_STR_FMT(p)));
}

/* path.Clean, keeping a trailing '/' (it is significant for COPY dests) */
static struct mdk_str clean_path(struct b *b, struct mdk_str p, bool keep_slash)
{
  struct mdk_str parts[256];
  size_t n = 0, i = 0, k;
  bool abs = p.len && p.ptr[0] == '/';
  bool slash = keep_slash && p.len > 1 && p.ptr[p.len - 1] == '/';
  struct mdk_buf out;
  struct mdk_str r;
  while(i < p.len) {
    size_t e = i;
    struct mdk_str c;
    while(e < p.len && p.ptr[e] != '/')
      e++;
    c = mdk_str_make(p.ptr + i, e - i);
    if(c.len == 0 || mdk_str_eq_c(c, ".")) {
      /* skip */
    }
    else if(mdk_str_eq_c(c, "..")) {
      if(n && !mdk_str_eq_c(parts[n - 1], ".."))
        n--;
      else if(!abs)
        parts[n++] = c;
    }
    else if(n < 256) {
      parts[n++] = c;
    }
    i = e + 1;
  }
  mdk_buf_init(&out, 1 << 20);
  if(abs)
    (void)mdk_buf_putc(&out, '/');
  for(k = 0; k < n; k++) {
    if(k)
      (void)mdk_buf_putc(&out, '/');
    (void)mdk_buf_append(&out, parts[k].ptr, parts[k].len);
  }
  if(!out.len)
    (void)mdk_buf_putc(&out, '.');
  if(slash && !(out.len == 1 && out.ptr[0] == '/'))
    (void)mdk_buf_putc(&out, '/');
  r = mdk_str_dup(b->a, mdk_buf_str(&out));
  mdk_buf_free(&out);
  return r;
}

static void set_field(struct b *b, struct mdk_ir_op *op, enum mdk_ir_fid name,
                      const struct mdk_fe_cmd *c, const char *flag)
{
  const struct mdk_fe_flagval *f = mdk_fe_cmd_flag(c, flag);
  if(!f || !f->set)
    return;
  if(f->type == MDK_FE_FLAG_BOOL)
    mdk_ir_field(b->g, op, name, mdk_str_c(f->bval ? "true" : "false"));
  else if(f->type == MDK_FE_FLAG_STRING)
    mdk_ir_field(b->g, op, name, f->vals[f->nvals - 1].val);
  else {
    struct mdk_str *v = mdk_arena_array(b->a, struct mdk_str, f->nvals + 1);
    size_t i;
    for(i = 0; i < f->nvals; i++)
      v[i] = f->vals[i].val;
    mdk_ir_field_list(b->g, op, name, v, f->nvals);
  }
}

/* Exec form as is; shell form wrapped in the stage's SHELL. */
static void command_field(struct b *b, struct mdk_ir_op *op, enum mdk_ir_fid name,
                          const struct mdk_fe_cmd *c,
                          const struct stage_state *st,
                          struct mdk_str script)
{
  size_t i;
  struct mdk_str *v;
  if(c->json) {
    v = mdk_arena_array(b->a, struct mdk_str, c->nargs + 1);
    for(i = 0; i < c->nargs; i++)
      v[i] = c->args[i].val;
    mdk_ir_field_list(b->g, op, name, v, c->nargs);
    return;
  }
  v = mdk_arena_array(b->a, struct mdk_str, st->nshell + 2);
  for(i = 0; i < st->nshell; i++)
    v[i] = st->shell[i];
  v[st->nshell] = script;
  mdk_ir_field_list(b->g, op, name, v, st->nshell + 1);
}

/* The stage index a --from / from= names, or -1 for an image. */
static int stage_ref(struct b *b, int cur, struct mdk_str ref, bool by_index)
{
  return mdk_fe_stage_lookup(b->names, (size_t)cur, ref,
                             by_index ? MDK_FE_REF_COPY_FROM
                                      : MDK_FE_REF_MOUNT_FROM);
}

static struct mdk_str chomp(struct b *b, const struct mdk_fe_heredoc *h)
{
  struct mdk_buf o;
  struct mdk_str r;
  size_t i = 0;
  bool bol = true;
  if(!h->chomp)
    return h->content;
  mdk_buf_init(&o, (size_t)1 << 30);
  for(i = 0; i < h->content.len; i++) {
    char ch = h->content.ptr[i];
    if(bol && ch == '\t')
      continue;
    bol = ch == '\n';
    (void)mdk_buf_putc(&o, ch);
  }
  r = mdk_str_dup(b->a, mdk_buf_str(&o));
  mdk_buf_free(&o);
  return r;
}

static enum mdk_ir_mount_type mount_type(enum mdk_fe_mount_type t)
{
  switch(t) {
  case MDK_FE_MOUNT_CACHE: return MDK_IR_MOUNT_CACHE;
  case MDK_FE_MOUNT_TMPFS: return MDK_IR_MOUNT_TMPFS;
  case MDK_FE_MOUNT_SECRET: return MDK_IR_MOUNT_SECRET;
  case MDK_FE_MOUNT_SSH: return MDK_IR_MOUNT_SSH;
  default: return MDK_IR_MOUNT_BIND;
  }
}

/* a bare key, or a true value (Go's ParseBool, checked by expand.c) */
static bool mount_on(struct mdk_str v, bool bare)
{
  bool on = false;
  return bare || (mdk_fe_parse_bool(v, &on) && on);
}

/* One key of a --mount into the typed mount (BuildKit's aliases). */
static void mount_set(struct b *b, struct mdk_ir_mount *m, struct mdk_str k,
                      struct mdk_str v, bool bare)
{
  static const struct { const char *key; size_t off; } strs[] = {
    {"target", offsetof(struct mdk_ir_mount, target)},
    {"dst", offsetof(struct mdk_ir_mount, target)},
    {"destination", offsetof(struct mdk_ir_mount, target)},
    {"source", offsetof(struct mdk_ir_mount, source)},
    {"src", offsetof(struct mdk_ir_mount, source)},
    {"from", offsetof(struct mdk_ir_mount, from)},
    {"id", offsetof(struct mdk_ir_mount, id)},
    {"sharing", offsetof(struct mdk_ir_mount, sharing)},
    {"mode", offsetof(struct mdk_ir_mount, mode)},
    {"uid", offsetof(struct mdk_ir_mount, uid)},
    {"gid", offsetof(struct mdk_ir_mount, gid)},
    {"size", offsetof(struct mdk_ir_mount, size)},
    {"env", offsetof(struct mdk_ir_mount, env)}};
  size_t i;
  int64_t bytes;
  if(mdk_str_eq_c(k, "sharing")) {   /* BuildKit lower-cases the mode */
    m->sharing = mdk_str_lower(b->a, v).ptr;
    return;
  }
  /* tmpfs takes bytes; BuildKit reads "64m", "1GiB" as go-units does */
  if(mdk_str_eq_c(k, "size") && mdk_fe_ram_in_bytes(v, &bytes)) {
    m->size = mdk_arena_printf(b->a, "%lld", (long long)bytes);
    return;
  }
  for(i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    if(mdk_str_eq_c(k, strs[i].key)) {
      *(const char **)((char *)m + strs[i].off) =
        mdk_arena_strndup(b->a, v.ptr ? v.ptr : "", v.len);
      return;
    }
  if(mdk_str_eq_c(k, "ro") || mdk_str_eq_c(k, "readonly"))
    m->readonly = mount_on(v, bare);
  else if(mdk_str_eq_c(k, "rw") || mdk_str_eq_c(k, "readwrite"))
    m->readwrite = mount_on(v, bare);
  else if(mdk_str_eq_c(k, "required"))
    m->required = mount_on(v, bare);
}

/* ARG: the stage learns its names (RUN's history lists them) and the
 * history gets "ARG K=V K2" with the values it took (BuildKit records them) */
static void arg_text(struct b *b, struct mdk_ir_op *op, struct stage_state *st,
                     const struct mdk_fe_cmd *c, const struct mdk_fe_xcmd *x)
{
  const struct mdk_fe_xcmd *next = x + 1;
  bool same = (size_t)(next - b->sem->x) < b->sem->file->ncmds &&
              next->stage == x->stage;
  struct mdk_str *names = mdk_arena_array(b->a, struct mdk_str,
                                          st->nargs + c->nargdefs + 1);
  struct mdk_buf t;
  size_t i, k, n = st->nargs;
  if(n)
    memcpy(names, st->args, n * sizeof(*names));
  mdk_buf_init(&t, (size_t)1 << 30);
  mdk_buf_puts(&t, "ARG");
  for(i = 0; i < c->nargdefs; i++) {
    const struct mdk_fe_argdef *d = &c->argdefs[i];
    /* the value: as the next instruction sees it, else as written */
    const struct mdk_str *v = same ? scope_get(next, d->name) : NULL;
    bool known = v || d->has_value;
    for(k = 0; k < n && !mdk_str_eq(names[k], d->name); k++)
      ;
    if(k == n)
      names[n++] = d->name;
    mdk_buf_printf(&t, " %.*s", MDK_STR_FMT(d->name));
    if(known)
      mdk_buf_printf(&t, "=%.*s", v ? (int)v->len : (int)d->value.len,
                     v ? v->ptr : d->value.ptr);
  }
  st->args = names;
  st->nargs = n;
  mdk_ir_op_history(b->g, op, t.ptr, false);
  mdk_buf_free(&t);
}

/* RUN's history: "RUN |N K=V ... ARGV # buildkit", every ARG of the stage
 * with its value (BuildKit's runCommandString) */
static void run_history(struct b *b, struct mdk_ir_op *op,
                        const struct stage_state *st,
                        const struct mdk_fe_xcmd *x)
{
  const struct mdk_ir_field *cmd = mdk_ir_op_get(op, MDK_IR_F_CMD);
  bool shebang = mdk_ir_op_get(op, MDK_IR_F_FILE) != NULL;
  struct mdk_buf t;
  size_t i;
  mdk_buf_init(&t, (size_t)1 << 30);
  mdk_buf_puts(&t, "RUN");
  if(st->nargs)
    mdk_buf_printf(&t, " |%zu", st->nargs);
  for(i = 0; i < st->nargs; i++) {
    const struct mdk_str *v = scope_get(x, st->args[i]);
    mdk_buf_printf(&t, " %.*s=%.*s", MDK_STR_FMT(st->args[i]),
                   v ? (int)v->len : 0, v ? v->ptr : "");
  }
  /* a shebang heredoc runs through the shell in BuildKit's record */
  for(i = 0; shebang && i < st->nshell; i++)
    mdk_buf_printf(&t, " %.*s", MDK_STR_FMT(st->shell[i]));
  for(i = 0; cmd && i < cmd->nvals; i++)
    mdk_buf_printf(&t, " %.*s", MDK_STR_FMT(cmd->vals[i]));
  mdk_buf_puts(&t, " # buildkit");
  mdk_ir_op_history(b->g, op, t.ptr ? t.ptr : "", true);
  mdk_buf_free(&t);
}

static void build_run(struct b *b, struct mdk_ir_stage *s, int si,
                      const struct mdk_fe_cmd *c, const struct mdk_fe_xcmd *x)
{
  struct stage_state *st = &b->st[si];
  struct mdk_ir_op *op = new_op(b, s, MDK_IR_RUN, c, x);
  const struct mdk_fe_node *n = c->node;
  size_t i, k;

  if(!c->json && n->nheredocs) {
    struct mdk_str text = c->nargs ? c->args[0].val : MDK_STR_NULL;
    bool only = n->nheredocs == 1 && c->nargs == 1 &&
                mdk_str_index(text, ' ') < 0 && mdk_str_index(text, '\t') < 0;
    if(only) {
      struct mdk_str body = chomp(b, &n->heredocs[0]);
      if(mdk_str_has_prefix(body, "#!")) {
        /* written to /dev/pipes/NAME (0755) and executed directly */
        struct mdk_str path = mdk_str_c(mdk_arena_printf(
          b->a, "/dev/pipes/%.*s", MDK_STR_FMT(n->heredocs[0].name)));
        mdk_ir_field_list(b->g, op, MDK_IR_F_CMD, &path, 1);
        mdk_ir_field(b->g, op, MDK_IR_F_FILE, path);
        mdk_ir_field(b->g, op, MDK_IR_F_FILE_CONTENT, body);
      }
      else {
        command_field(b, op, MDK_IR_F_CMD, c, st, body);
      }
    }
    else {
      struct mdk_buf sb;
      mdk_buf_init(&sb, (size_t)1 << 30);
      (void)mdk_buf_append(&sb, text.ptr, text.len);
      for(i = 0; i < n->nheredocs; i++) {
        (void)mdk_buf_putc(&sb, '\n');
        (void)mdk_buf_append(&sb, n->heredocs[i].content.ptr,
                             n->heredocs[i].content.len);
        (void)mdk_buf_append(&sb, n->heredocs[i].name.ptr,
                             n->heredocs[i].name.len);
      }
      command_field(b, op, MDK_IR_F_CMD, c, st, mdk_str_dup(b->a, mdk_buf_str(&sb)));
      mdk_buf_free(&sb);
    }
  }
  else {
    command_field(b, op, MDK_IR_F_CMD, c, st, c->nargs ? c->args[0].val
                                                : MDK_STR_NULL);
  }
  kv_field(b, op, MDK_IR_F_ENV, x->env, x->nenv);
  mdk_ir_field(b->g, op, MDK_IR_F_USER, st->user);
  mdk_ir_field(b->g, op, MDK_IR_F_WORKDIR, st->workdir.len ? st->workdir
                                                     : mdk_str_c("/"));
  if(c->nmounts) {
    struct mdk_str *mv = mdk_arena_array(b->a, struct mdk_str, c->nmounts);
    op->mounts = mdk_arena_array(b->a, struct mdk_ir_mount, c->nmounts);
    op->nmounts = c->nmounts;
    for(i = 0; i < c->nmounts; i++) {
      /* expanded and resolved by expand.c */
      const struct mdk_fe_mount *m = &x->mounts[i];
      struct mdk_ir_mount *im = &op->mounts[i];
      struct mdk_str *parts = mdk_arena_array(b->a, struct mdk_str,
                                              m->nfields + 1);
      struct mdk_buf mb;
      size_t np = 0;
      im->type = mount_type(m->type);
      im->from_stage = -1;
      for(k = 0; k < m->nfields; k++) {
        const struct mdk_fe_mount_field *mf = &m->fields[k];
        struct mdk_str val = mf->val;
        if(mdk_str_eq_c(mf->key, "type"))
          continue;   /* resolved into m->type */
        if(mdk_str_eq_c(mf->key, "from") && b->o &&
           stage_ref(b, si, mf->val, false) < 0)
          val = mdk_fe_named_context(b->o->named, b->o->nnamed, val);
        if(mdk_str_eq_c(mf->key, "target") || mdk_str_eq_c(mf->key, "dst") ||
           mdk_str_eq_c(mf->key, "destination"))
          val = clean_path(b, join_path(b, st->workdir, val), false);
        mount_set(b, im, mf->key, mf->bare ? MDK_STR_NULL : val, mf->bare);
        parts[np++] = mf->bare ? mf->key
                               : mdk_str_c(mdk_arena_printf(
                                   b->a, "%.*s=%.*s", MDK_STR_FMT(mf->key),
                                   MDK_STR_FMT(val)));
        if(mdk_str_eq_c(mf->key, "from"))
          op->from_stage = im->from_stage = stage_ref(b, si, mf->val, false);
      }
      mdk_sort(parts, np, sizeof(*parts), cmp_str);
      mdk_buf_init(&mb, 1 << 20);
      (void)mdk_buf_printf(&mb, "type=%s", mdk_fe_mount_type_name(m->type));
      for(k = 0; k < np; k++)
        (void)mdk_buf_printf(&mb, ",%.*s", MDK_STR_FMT(parts[k]));
      mv[i] = mdk_str_dup(b->a, mdk_buf_str(&mb));
      mdk_buf_free(&mb);
    }
    mdk_ir_field_list(b->g, op, MDK_IR_F_MOUNTS, mv, c->nmounts);
  }
  set_field(b, op, MDK_IR_F_NETWORK, c, "network");
  if(!mdk_ir_op_get(op, MDK_IR_F_NETWORK) && b->o && b->o->network &&
     strcmp(b->o->network, "default") != 0)
    mdk_ir_field(b->g, op, MDK_IR_F_NETWORK, mdk_str_c(b->o->network));
  if(b->o && b->o->nadd_hosts)
    mdk_ir_field_list(b->g, op, MDK_IR_F_ADD_HOST, b->o->add_hosts,
                      b->o->nadd_hosts);
  /* BuildKit's ExecOp holds the build's --shm-size and --ulimit too */
  if(b->o && b->o->shm_size)
    mdk_ir_field(b->g, op, MDK_IR_F_SHM_SIZE, mdk_str_c(b->o->shm_size));
  if(b->o && b->o->nulimits)
    mdk_ir_field_list(b->g, op, MDK_IR_F_ULIMIT, b->o->ulimits,
                      b->o->nulimits);
  set_field(b, op, MDK_IR_F_SECURITY, c, "security");
  /* shown as written (never a build argument's value), a heredoc by its
   * first line */
  op->display = as_written(b, c);
  if(n->nheredocs)
    op->display = mdk_arena_printf(b->a, "%s (%s)", op->display,
                                   mdk_fe_heredoc_summary(
                                     b->a, n->heredocs[0].content));
  run_history(b, op, st, x);
}

/* COPY/ADD's history ("COPY [--parents] [--chown=U] [--chmod=M] SRC...
 * [<<DOC...] DEST # buildkit", sources as expanded, heredocs after them)
 * and its progress name (the flags and values it was given) */
static void copy_text(struct b *b, struct mdk_ir_op *op,
                      const struct mdk_fe_cmd *c, const struct mdk_str *src,
                      size_t nsrc, struct mdk_str dest)
{
  static const enum mdk_ir_fid shown[] = {
    MDK_IR_F_CHOWN, MDK_IR_F_CHMOD, MDK_IR_F_LINK, MDK_IR_F_PARENTS,
    MDK_IR_F_EXCLUDE, MDK_IR_F_CHECKSUM, MDK_IR_F_KEEP_GIT_DIR,
    MDK_IR_F_UNPACK};
  const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");
  const struct mdk_ir_field *f;
  const char *kw = c->kind == MDK_FE_ADD ? "ADD" : "COPY";
  struct mdk_buf h, d;
  size_t i, k;
  mdk_buf_init(&h, (size_t)1 << 30);
  mdk_buf_init(&d, (size_t)1 << 30);
  mdk_buf_puts(&h, kw);
  mdk_buf_printf(&d, "%s%s", c->from_onbuild ? "ONBUILD " : "", kw);
  if(mdk_ir_op_get(op, MDK_IR_F_PARENTS))
    mdk_buf_puts(&h, " --parents");
  if((f = mdk_ir_op_get(op, MDK_IR_F_CHOWN)))
    mdk_buf_printf(&h, " --chown=%.*s", MDK_STR_FMT(f->vals[0]));
  if((f = mdk_ir_op_get(op, MDK_IR_F_CHMOD)))
    mdk_buf_printf(&h, " --chmod=%.*s", MDK_STR_FMT(f->vals[0]));
  if(from && from->set)
    mdk_buf_printf(&d, " --from=%.*s",
                   MDK_STR_FMT(from->vals[from->nvals - 1].val));
  for(k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
    for(i = 0; (f = mdk_ir_op_get(op, shown[k])) && i < f->nvals; i++) {
      /* a boolean flag set reads as it is usually written: --link */
      bool flag = shown[k] == MDK_IR_F_LINK || shown[k] == MDK_IR_F_PARENTS ||
                  shown[k] == MDK_IR_F_KEEP_GIT_DIR;
      if(flag && mdk_str_eq_c(f->vals[i], "true"))
        mdk_buf_printf(&d, " --%s", f->name);
      else
        mdk_buf_printf(&d, " --%s=%.*s", f->name, MDK_STR_FMT(f->vals[i]));
    }
  for(i = 0; i < nsrc; i++) {
    mdk_buf_printf(&d, " %.*s", MDK_STR_FMT(src[i]));
    if(!mdk_str_has_prefix(src[i], "<<"))
      mdk_buf_printf(&h, " %.*s", MDK_STR_FMT(src[i]));
  }
  for(i = 0; i < nsrc; i++)
    if(mdk_str_has_prefix(src[i], "<<"))
      mdk_buf_printf(&h, " %.*s", MDK_STR_FMT(src[i]));
  mdk_buf_printf(&h, " %.*s # buildkit", MDK_STR_FMT(dest));
  mdk_buf_printf(&d, " %.*s", MDK_STR_FMT(dest));
  mdk_ir_op_history(b->g, op, h.ptr, true);
  op->display = mdk_arena_strndup(b->a, d.ptr, d.len);
  mdk_buf_free(&h);
  mdk_buf_free(&d);
}

/* Where an ADD's sources come from: "http" or "git" when every one is a
 * download or a repository (ir/source.c decides), else "context". */
static const char *remote_kind(const struct mdk_str *src, size_t n)
{
  enum mdk_ir_src k = n ? mdk_ir_source_kind(src[0]) : MDK_IR_SRC_CONTEXT;
  size_t i;
  if(k != MDK_IR_SRC_HTTP && k != MDK_IR_SRC_GIT)
    return "context";
  for(i = 1; i < n; i++)
    if(mdk_ir_source_kind(src[i]) != k)
      return "context";
  return mdk_ir_source_kind_name(k);
}

static void build_copy(struct b *b, struct mdk_ir_stage *s, int si,
                       const struct mdk_fe_cmd *c,
                       const struct mdk_fe_xcmd *x)
{
  struct stage_state *st = &b->st[si];
  bool is_add = c->kind == MDK_FE_ADD, f;
  struct mdk_ir_op *op = new_op(b, s, is_add ? MDK_IR_ADD : MDK_IR_COPY, c, x);
  const struct mdk_fe_node *n = c->node;
  struct mdk_str *src = mdk_arena_array(b->a, struct mdk_str, c->nargs + 1);
  struct mdk_str dest;
  size_t i, ns = 0, hi = 0;
  const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");

  for(i = 0; i + 1 < c->nargs; i++) {
    struct mdk_str v = xv(x, "source", ns, &f);
    if(!c->json && hi < n->nheredocs &&
       mdk_fe_word_is_heredoc(c->args[i].val)) {
      src[i] = mdk_str_c(mdk_arena_printf(b->a, "<<%.*s",
                                          MDK_STR_FMT(n->heredocs[hi].name)));
      hi++;
      continue;
    }
    src[i] = f ? v : c->args[i].val;
    ns++;
  }
  mdk_ir_field_list(b->g, op, MDK_IR_F_SRC, src, c->nargs ? c->nargs - 1 : 0);
  dest = xv(x, "dest", 0, &f);
  if(!f)
    dest = c->nargs ? c->args[c->nargs - 1].val : MDK_STR_NULL;
  /* relative to WORKDIR; a trailing '/' (or a final ".") means "into this
   * directory", so it stays visible in the cleaned path */
  {
    bool dir = (dest.len && dest.ptr[dest.len - 1] == '/') ||
               mdk_str_eq_c(dest, ".") ||
               (dest.len >= 2 && dest.ptr[dest.len - 1] == '.' &&
                dest.ptr[dest.len - 2] == '/');
    struct mdk_str d = clean_path(b, join_path(b, st->workdir, dest), false);
    if(dir && !(d.len == 1 && d.ptr[0] == '/'))
      d = mdk_str_c(mdk_arena_printf(b->a, "%.*s/", MDK_STR_FMT(d)));
    mdk_ir_field(b->g, op, MDK_IR_F_DEST, d);
  }
  if(from && from->set) {
    struct mdk_str ref = from->vals[from->nvals - 1].val;
    op->from_stage = stage_ref(b, si, ref, true);
    if(op->from_stage < 0 && b->o)
      ref = mdk_fe_named_context(b->o->named, b->o->nnamed, ref);
    mdk_ir_field(b->g, op, MDK_IR_F_FROM, op->from_stage >= 0
                                     ? mdk_str_c(mdk_arena_printf(
                                         b->a, "stage:%d", op->from_stage))
                                     : mdk_str_c(mdk_arena_printf(
                                         b->a, "image:%.*s",
                                         MDK_STR_FMT(ref))));
  }
  else {
    mdk_ir_field(b->g, op, MDK_IR_F_FROM,
                 mdk_str_c(is_add ? remote_kind(src, ns + hi) : "context"));
  }
  {
    struct mdk_str v = xv(x, "chown", 0, &f);
    if(f)
      mdk_ir_field(b->g, op, MDK_IR_F_CHOWN, v);
    v = xv(x, "chmod", 0, &f);
    if(f && v.len)              /* "" is no chmod, as in BuildKit */
      mdk_ir_field(b->g, op, MDK_IR_F_CHMOD, v);
    v = xv(x, "checksum", 0, &f);
    if(f)
      mdk_ir_field(b->g, op, MDK_IR_F_CHECKSUM, v);
  }
  set_field(b, op, MDK_IR_F_LINK, c, "link");
  set_field(b, op, MDK_IR_F_PARENTS, c, "parents");
  set_field(b, op, MDK_IR_F_EXCLUDE, c, "exclude");
  set_field(b, op, MDK_IR_F_KEEP_GIT_DIR, c, "keep-git-dir");
  set_field(b, op, MDK_IR_F_UNPACK, c, "unpack");
  copy_text(b, op, c, src, c->nargs ? c->nargs - 1 : 0, dest);
  for(i = 0; i < n->nheredocs; i++) {
    /* COPY expands an unquoted heredoc body (quotes kept); ADD does not */
    struct mdk_str body = chomp(b, &n->heredocs[i]);
    if(!is_add && n->heredocs[i].expand) {
      size_t k, seen = 0;
      for(k = 0; k < x->nvals; k++)
        if(strcmp(x->vals[k].what, "heredoc") == 0 && seen++ == i)
          body = x->vals[k].val;
    }
    mdk_ir_field_sub(b->g, op, MDK_IR_F_HEREDOC, n->heredocs[i].name, body);
  }
}

static void config_list(struct b *b, struct mdk_ir_op *op, enum mdk_ir_fid name,
                        const struct mdk_fe_xcmd *x, const char *what)
{
  struct mdk_str *v = mdk_arena_array(b->a, struct mdk_str, x->nvals + 1);
  size_t i, n = 0;
  for(i = 0; i < x->nvals; i++)
    if(strcmp(x->vals[i].what, what) == 0)
      v[n++] = x->vals[i].val;
  mdk_ir_field_list(b->g, op, name, v, n);
}

/* A port number: 1 to 5 digits, at most 65535. */
static bool port_num(struct mdk_str s, long *out)
{
  size_t k;
  long v = 0;
  if(s.len == 0 || s.len > 5)
    return false;
  for(k = 0; k < s.len; k++) {
    if(s.ptr[k] < '0' || s.ptr[k] > '9')
      return false;
    v = v * 10 + (s.ptr[k] - '0');
  }
  *out = v;
  return v <= 65535;
}

/* EXPOSE: "N/proto", protocol lower-cased, ranges listed port by port. */
static void expose_field(struct b *b, struct mdk_ir_op *op,
                         const struct mdk_fe_xcmd *x)
{
  struct mdk_vec ports = MDK_VEC_INIT(struct mdk_str);
  size_t i;
  for(i = 0; i < x->nvals; i++) {
    struct mdk_str sp = x->vals[i].val, proto = mdk_str_c("tcp");
    long slash = mdk_str_index(sp, '/'), colon, dash;
    long lo = 0, hi = 0, p;
    bool ok;
    size_t k;
    if(slash >= 0) {
      proto = mdk_str_lower(b->a, mdk_str_make(sp.ptr + slash + 1,
                                               sp.len - (size_t)slash - 1));
      sp.len = (size_t)slash;
      if(!proto.len)
        proto = mdk_str_c("tcp");   /* "8080/": splitProtoPort */
    }
    colon = -1;
    for(k = sp.len; k-- > 0;)
      if(sp.ptr[k] == ':') {
        colon = (long)k;
        break;
      }
    if(colon >= 0) {
      sp.ptr += colon + 1;
      sp.len -= (size_t)colon + 1;
    }
    dash = mdk_str_index(sp, '-');
    ok = port_num(mdk_str_make(sp.ptr, dash >= 0 ? (size_t)dash : sp.len),
                  &lo);
    hi = lo;
    if(ok && dash >= 0)
      ok = port_num(mdk_str_make(sp.ptr + dash + 1,
                                 sp.len - (size_t)dash - 1), &hi);
    if(!ok) {
      /* not a port or a range of them: kept as written (the checks say
       * what is wrong with it) */
      struct mdk_str e = mdk_str_c(mdk_arena_printf(b->a, "%.*s/%.*s",
                                                    MDK_STR_FMT(sp),
                                                    MDK_STR_FMT(proto)));
      mdk_vec_push(b->a, &ports, &e);
      continue;
    }
    for(p = lo; p <= hi; p++) {
      struct mdk_str e = mdk_str_c(mdk_arena_printf(b->a, "%ld/%.*s", p,
                                                    MDK_STR_FMT(proto)));
      mdk_vec_push(b->a, &ports, &e);
    }
  }
  hist(b, op, false, "EXPOSE %s",
       mdk_fe_go_list(b->a, ports.items, ports.len));
  mdk_sort(ports.items, ports.len, sizeof(struct mdk_str), cmp_str);
  mdk_ir_field_list(b->g, op, MDK_IR_F_EXPOSE, ports.items, ports.len);
}

static struct mdk_str dur(struct b *b, int64_t ns)
{
  return mdk_str_c(mdk_arena_printf(b->a, "%lld", (long long)ns));
}

static void build_one(struct b *b, struct mdk_ir_stage *s, int si,
                      const struct mdk_fe_cmd *c, const struct mdk_fe_xcmd *x)
{
  struct stage_state *st = &b->st[si];
  struct mdk_ir_op *op;
  struct mdk_str v;
  bool f;
  size_t i;

  switch(c->kind) {
  case MDK_FE_RUN:
    build_run(b, s, si, c, x);
    return;
  case MDK_FE_COPY:
  case MDK_FE_ADD:
    build_copy(b, s, si, c, x);
    return;
  case MDK_FE_WORKDIR:
    v = xv(x, "value", 0, &f);
    if(v.len && v.ptr[0] == '$' && x->nunset)
      st->workdir = v;    /* starts with a base-dependent value: kept */
    else
      st->workdir = clean_path(b, join_path(b, st->workdir, v), false);
    /* BuildKit makes the directory (a layer) unless it is "/" */
    if(!mdk_str_eq_c(st->workdir, "/")) {
      op = new_op(b, s, MDK_IR_MKDIR, c, x);
      mdk_ir_field(b->g, op, MDK_IR_F_PATH, st->workdir);
      mdk_ir_field(b->g, op, MDK_IR_F_USER, st->user);
      op->display = mdk_arena_printf(b->a, "%sWORKDIR %.*s",
                                     c->from_onbuild ? "ONBUILD " : "",
                                     MDK_STR_FMT(v));
      hist(b, op, true, "WORKDIR %.*s", MDK_STR_FMT(st->workdir));
    }
    op = new_op(b, s, MDK_IR_CONFIG, c, x);
    mdk_ir_field(b->g, op, MDK_IR_F_WORKDIR, st->workdir);
    if(mdk_str_eq_c(st->workdir, "/"))
      hist(b, op, false, "WORKDIR /");
    return;
  default:
    break;
  }
  op = new_op(b, s, MDK_IR_CONFIG, c, x);
  switch(c->kind) {
  case MDK_FE_ARG: {
    struct mdk_str *names = mdk_arena_array(b->a, struct mdk_str,
                                            c->nargdefs + 1);
    for(i = 0; i < c->nargdefs; i++)
      names[i] = c->argdefs[i].arg->val;
    mdk_ir_field_list(b->g, op, MDK_IR_F_ARG, names, c->nargdefs);
    arg_text(b, op, st, c, x);
    break;
  }
  case MDK_FE_ENV:
  case MDK_FE_LABEL: {
    struct mdk_fe_kv *kv = mdk_arena_array(b->a, struct mdk_fe_kv,
                                           c->npairs + 1);
    for(i = 0; i < c->npairs; i++) {
      kv[i].key = xv(x, "key", i, &f);
      kv[i].val = xv(x, "value", i, &f);
    }
    kv_field(b, op, c->kind == MDK_FE_ENV ? MDK_IR_F_ENV : MDK_IR_F_LABEL, kv,
             c->npairs);
    {
      struct mdk_buf t;
      mdk_buf_init(&t, (size_t)1 << 30);
      mdk_buf_puts(&t, c->kind == MDK_FE_ENV ? "ENV" : "LABEL");
      for(i = 0; i < c->npairs; i++)
        mdk_buf_printf(&t, " %.*s=%.*s", MDK_STR_FMT(kv[i].key),
                       MDK_STR_FMT(kv[i].val));
      mdk_ir_op_history(b->g, op, t.ptr, false);
      mdk_buf_free(&t);
    }
    break;
  }
  case MDK_FE_USER:
    st->user = xv(x, "value", 0, &f);
    mdk_ir_field(b->g, op, MDK_IR_F_USER, st->user);
    hist(b, op, false, "USER %.*s", MDK_STR_FMT(st->user));
    break;
  case MDK_FE_EXPOSE:
    expose_field(b, op, x);
    break;
  case MDK_FE_VOLUME:
    config_list(b, op, MDK_IR_F_VOLUME, x, "path");
    hist(b, op, false, "VOLUME %s",
         mdk_fe_go_list(b->a, op->fields[op->nfields - 1].vals,
                        op->fields[op->nfields - 1].nvals));
    mdk_sort(op->fields[op->nfields - 1].vals, op->fields[op->nfields - 1].nvals,
          sizeof(struct mdk_str), cmp_str);
    break;
  case MDK_FE_STOPSIGNAL:
    v = xv(x, "value", 0, &f);
    mdk_ir_field(b->g, op, MDK_IR_F_STOPSIGNAL, v);
    hist(b, op, false, "STOPSIGNAL %.*s", MDK_STR_FMT(v));
    break;
  case MDK_FE_CMD:
  case MDK_FE_ENTRYPOINT:
    command_field(b, op, c->kind == MDK_FE_CMD ? MDK_IR_F_CMD
                                             : MDK_IR_F_ENTRYPOINT, c, st,
                  c->nargs ? c->args[0].val : MDK_STR_NULL);
    hist(b, op, false, "%s %s", c->kind == MDK_FE_CMD ? "CMD" : "ENTRYPOINT",
         mdk_fe_go_quoted(b->a, op->fields[op->nfields - 1].vals,
                          op->fields[op->nfields - 1].nvals));
    if(b->o && b->o->dialect == MDK_FE_DIALECT_MODAL &&
       c->kind == MDK_FE_ENTRYPOINT) {
      /* Modal appends its own command to the ENTRYPOINT */
      const struct mdk_ir_field *ep = &op->fields[op->nfields - 1];
      struct mdk_str *m = mdk_arena_array(b->a, struct mdk_str,
                                          ep->nvals + 2);
      memcpy(m, ep->vals, ep->nvals * sizeof(*m));
      m[ep->nvals] = mdk_str_c("<modal command...>");
      mdk_ir_field_list(b->g, op, MDK_IR_F_MODAL_RUNS, m, ep->nvals + 1);
    }
    if(b->o && b->o->dialect == MDK_FE_DIALECT_MODAL &&
       c->kind == MDK_FE_CMD)
      mdk_ir_field(b->g, op, MDK_IR_F_MODAL_NOTE,
                   mdk_str_c("Modal replaces CMD with its own command"));
    break;
  case MDK_FE_SHELL: {
    struct mdk_str *v2 = mdk_arena_array(b->a, struct mdk_str, c->nargs + 1);
    for(i = 0; i < c->nargs; i++)
      v2[i] = c->args[i].val;
    st->shell = v2;
    st->nshell = c->nargs;
    mdk_ir_field_list(b->g, op, MDK_IR_F_SHELL, v2, c->nargs);
    hist(b, op, false, "SHELL %s", mdk_fe_go_list(b->a, v2, c->nargs));
    break;
  }
  case MDK_FE_HEALTHCHECK: {
    struct mdk_str t[64];
    size_t n = 0;
    if(mdk_str_eq_c(c->hc_type, "NONE")) {
      t[n++] = mdk_str_c("NONE");
    }
    else if(c->json) {
      t[n++] = mdk_str_c("CMD");
      for(i = 0; i < c->nargs && n < 63; i++)
        t[n++] = c->args[i].val;
    }
    else {
      t[n++] = mdk_str_c("CMD-SHELL");
      t[n++] = c->nargs ? c->args[0].val : MDK_STR_NULL;
    }
    mdk_ir_field_list(b->g, op, MDK_IR_F_HEALTHCHECK, t, n);
    if(!mdk_str_eq_c(c->hc_type, "NONE")) {
      mdk_ir_field(b->g, op, MDK_IR_F_HC_INTERVAL, dur(b, c->hc_interval));
      mdk_ir_field(b->g, op, MDK_IR_F_HC_TIMEOUT, dur(b, c->hc_timeout));
      mdk_ir_field(b->g, op, MDK_IR_F_HC_START_PERIOD,
                   dur(b, c->hc_start_period));
      mdk_ir_field(b->g, op, MDK_IR_F_HC_START_INTERVAL,
                   dur(b, c->hc_start_interval));
      mdk_ir_field(b->g, op, MDK_IR_F_HC_RETRIES, dur(b, c->hc_retries));
    }
    /* Go's %+v of the image's HealthcheckConfig */
    hist(b, op, false, "HEALTHCHECK {Test:%s Interval:%s Timeout:%s "
         "StartPeriod:%s StartInterval:%s Retries:%lld}",
         mdk_fe_go_list(b->a, t, n),
         mdk_fe_go_duration(b->a, c->hc_interval),
         mdk_fe_go_duration(b->a, c->hc_timeout),
         mdk_fe_go_duration(b->a, c->hc_start_period),
         mdk_fe_go_duration(b->a, c->hc_start_interval),
         (long long)c->hc_retries);
    break;
  }
  case MDK_FE_ONBUILD:
    mdk_ir_field_list(b->g, op, MDK_IR_F_ONBUILD, &c->onbuild_expr, 1);
    break;
  case MDK_FE_MAINTAINER:
    mdk_ir_field(b->g, op, MDK_IR_F_MAINTAINER, c->nargs ? c->args[0].val
                                                  : MDK_STR_NULL);
    hist(b, op, false, "MAINTAINER %.*s",
         MDK_STR_FMT(op->fields[op->nfields - 1].vals[0]));
    break;
  default:
    break;
  }
}

/* BuildKit's [NAME k/N]: N counts the FROM of an image, every RUN, COPY,
 * ADD and WORKDIR of the stage and every ONBUILD trigger run in it; k
 * counts the steps shown, in order. */
static void step_numbers(struct b *b)
{
  const struct mdk_fe_file *file = b->sem->file;
  size_t i, k;
  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    int si = b->sem->x[i].stage;
    enum mdk_fe_kind kd = c->kind;
    if(si < 0 || (size_t)si >= b->g->nstages)
      continue;
    if(kd == MDK_FE_FROM)
      b->g->stages[si]->cmd_total =
        b->g->stages[si]->base_kind == MDK_IR_BASE_IMAGE;
    else if(c->from_onbuild || kd == MDK_FE_RUN || kd == MDK_FE_COPY ||
            kd == MDK_FE_ADD || kd == MDK_FE_WORKDIR)
      b->g->stages[si]->cmd_total++;
  }
  for(i = 0; i < b->g->nstages; i++) {
    struct mdk_ir_stage *s = b->g->stages[i];
    int idx = s->base_kind == MDK_IR_BASE_IMAGE;
    for(k = 0; k < s->nops; k++)
      if(s->ops[k]->display)
        s->ops[k]->cmd_index = ++idx;
  }
}

enum mdk_status mdk_fe_to_ir(struct mdk_arena *a, struct mdk_diags *diags,
                             const struct mdk_fe_sem *sem,
                             const struct mdk_fe_ir_opts *o,
                             struct mdk_ir_graph **out)
{
  struct b b = {a, diags, sem, o, mdk_ir_graph_new(a), NULL,
                mdk_fe_stage_names(a, sem)};
  const struct mdk_fe_file *file = sem->file;
  struct mdk_ir_stage *s = NULL;
  size_t i;
  int si = -1;

  b.st = mdk_arena_array(a, struct stage_state, sem->nstages + 1);
  b.g->epoch = sem->epoch;
  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &sem->x[i];
    if(c->kind == MDK_FE_FROM) {
      const struct mdk_fe_stage *fs;
      si = x->stage;
      fs = &sem->stages[si];
      s = mdk_ir_stage_add(b.g);
      s->name = fs->name;
      s->base = fs->base;
      /* a stage without --platform builds for the target platform */
      s->platform = fs->platform.len
                      ? fs->platform
                      : mdk_str_c(o && o->platform ? o->platform
                                                   : mdk_platform_host_str());
      /* linux/aarch64 and linux/arm64/v8 are linux/arm64: one key */
      s->platform = mdk_str_c(mdk_platform_normalize(
        b.a, mdk_arena_strndup(b.a, s->platform.ptr, s->platform.len)));
      s->loc = mdk_fe_node_loc(c->node);
      s->line = c->node->start_line;
      b.st[si].shell = default_shell;
      b.st[si].nshell = 2;
      if(fs->parent >= 0) {
        s->base_kind = MDK_IR_BASE_STAGE;
        s->base_stage = fs->parent;
        b.st[si] = b.st[fs->parent];   /* the config carries over */
      }
      else if(mdk_str_eq_c(fs->base, "scratch")) {
        s->base_kind = MDK_IR_BASE_SCRATCH;
      }
      else {
        s->base_kind = MDK_IR_BASE_IMAGE;
      }
      continue;
    }
    if(!s)
      continue;   /* global ARGs: they only reach FROM lines */
    build_one(&b, s, si, c, x);
  }
  if(!b.g->nstages) {
    /* only ARGs: nothing to build (dockerfile2llb's own error) */
    struct mdk_diag *d = mdk_diag_add(diags, MDK_SEV_ERROR,
                                      file->ncmds ? mdk_fe_node_loc(
                                                      file->cmds[0].node)
                                                  : (struct mdk_loc){0},
                                      "dockerfile contains no stages to "
                                      "build");
    mdk_diag_hint(diags, d, "add a stage: FROM IMAGE (or FROM scratch)");
    return MDK_ESYNTAX;
  }
  step_numbers(&b);
  b.g->target = (int)b.g->nstages - 1;
  if(o && o->target && *o->target) {
    struct mdk_str t = mdk_str_lower(a, mdk_str_c(o->target));
    int found = mdk_fe_stage_lookup(b.names, b.g->nstages, t,
                                    MDK_FE_REF_TARGET);
    if(found < 0) {
      const char **names = mdk_arena_array(a, const char *, b.g->nstages + 1);
      size_t n = 0;
      const char *sug;
      struct mdk_diag *d;
      for(i = 0; i < b.g->nstages; i++)
        if(b.g->stages[i]->name.len)
          names[n++] = b.g->stages[i]->name.ptr;
      sug = mdk_str_suggest(t, names, n);
      d = mdk_diag_add(diags, MDK_SEV_ERROR, (struct mdk_loc){0},
                       "target stage \"%s\" could not be found", o->target);
      if(sug)
        mdk_diag_hint(diags, d, "did you mean %s?", sug);
      else
        mdk_diag_hint(diags, d, "name a stage with FROM ... AS name");
      return MDK_EUSAGE;
    }
    b.g->target = found;
  }
  *out = b.g;
  return MDK_OK;
}
