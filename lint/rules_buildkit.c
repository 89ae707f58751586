/* lint_buildkit.c - BuildKit's build checks (linter/ruleset.go and
 * dockerfile2llb), with BuildKit's messages and line numbers. */
#include <string.h>

#include "lint/internal.h"
#include "frontend/frontend.h"

/* '_'-separated tokens of a name, case-insensitively */
struct word {
  const char *w;
  size_t n;
};
#define W(s) {s, sizeof(s) - 1}

static bool has_token(struct mdk_str name, const struct word *words, size_t n)
{
  size_t i = 0, k;
  while(i <= name.len) {
    size_t e = i;
    struct mdk_str t;
    while(e < name.len && name.ptr[e] != '_')
      e++;
    t = mdk_str_make(name.ptr + i, e - i);
    for(k = 0; k < n; k++)     /* the length first: no strlen a word */
      if(t.len == words[k].n && mdk_str_eq_ci(t, words[k].w))
        return true;
    i = e + 1;
  }
  return false;
}

bool mdk_lint_secret_name(struct mdk_str name)
{
  static const struct word bad[] = {
    W("apikey"), W("auth"), W("credential"), W("credentials"), W("key"),
    W("password"), W("pword"), W("passwd"), W("secret"), W("token")};
  static const struct word ok[] = {W("public"), W("file"), W("version")};
  return has_token(name, bad, sizeof(bad) / sizeof(bad[0])) &&
         !has_token(name, ok, sizeof(ok) / sizeof(ok[0]));
}

static bool all_upper(struct mdk_str s)
{
  size_t i;
  for(i = 0; i < s.len; i++)
    if(s.ptr[i] >= 'a' && s.ptr[i] <= 'z')
      return false;
  return true;
}

static bool all_lower(struct mdk_str s)
{
  size_t i;
  for(i = 0; i < s.len; i++)
    if(s.ptr[i] >= 'A' && s.ptr[i] <= 'Z')
      return false;
  return true;
}

static const char *upper(struct lint *l, const char *s)
{
  char *u = mdk_arena_strndup(l->a, s, strlen(s)), *p;
  for(p = u; *p; p++)
    if(*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  return u;
}

static struct mdk_loc kw(const struct mdk_fe_node *n)
{
  return mdk_fe_node_loc(n);
}

static void casing(struct lint *l)
{
  size_t i, up = 0, low = 0;
  bool maj_lower;
  /* a word that is no instruction (an unclosed string's next line) is
   * MD000's, not a casing question */
  for(i = 0; i < l->ast->nnodes; i++) {
    struct mdk_str k = l->ast->nodes[i]->keyword;
    if(l->ast->nodes[i]->kind == MDK_FE_UNKNOWN)
      continue;
    if(all_lower(k))
      low++;
    else if(all_upper(k))
      up++;
  }
  maj_lower = low > up;
  for(i = 0; i < l->ast->nnodes; i++) {
    const struct mdk_fe_node *n = l->ast->nodes[i];
    bool lo = all_lower(n->keyword), hi = all_upper(n->keyword);
    if((lo && maj_lower) || (hi && !maj_lower) || n->kind == MDK_FE_UNKNOWN)
      continue;
    lint_report(l, MDK_LINT_CONSISTENT_CASING, n, kw(n), n->start_line,
                "Command '%.*s' should match the case of the command majority "
                "(%s)", MDK_STR_FMT(n->keyword),
                maj_lower ? "lowercase" : "uppercase");
  }
}

static const char *const builtin_args[] = {
  "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
  "TARGETOSVERSION", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
  "BUILDOSVERSION", "TARGETSTAGE"};

static bool in_list(struct mdk_str s, const struct mdk_vec *v)
{
  size_t i;
  for(i = 0; i < v->len; i++)
    if(mdk_str_eq(*mdk_vec_at(v, struct mdk_str, i), s))
      return true;
  return false;
}

static void secret(struct lint *l, const struct mdk_fe_node *n,
                   const char *what, struct mdk_str name)
{
  if(!mdk_lint_secret_name(name))
    return;
  lint_report(l, MDK_LINT_SECRETS_IN_ARG, n, kw(n), n->start_line,
              "Do not use ARG or ENV instructions for sensitive data (%s "
              "\"%.*s\")", what, MDK_STR_FMT(name));
}

/* the comment directly above an ARG or a named FROM should start with the
 * name it describes (experimental) */
static void description(struct lint *l, const struct mdk_fe_node *n,
                        const char *what, const struct mdk_str *names,
                        size_t nn)
{
  size_t i;
  struct mdk_str c;
  if(!n->ncomments || !nn)
    return;
  c = n->comments[0];
  for(i = 0; i < nn; i++)
    if(c.len > names[i].len && memcmp(c.ptr, names[i].ptr, names[i].len) == 0
       && c.ptr[names[i].len] == ' ')
      return;
  lint_report(l, MDK_LINT_INVALID_DEF_DESC, n, kw(n), n->start_line,
              "Comment for %s should follow the format: `# %.*s "
              "<description>`", what,
              nn > 1 ? 9 : (int)names[0].len,
              nn > 1 ? "<arg_key>" : names[0].ptr);
}

static void from_rules(struct lint *l, const struct mdk_fe_cmd *c,
                       const struct mdk_fe_xcmd *x, struct mdk_vec *stages,
                       const struct mdk_vec *meta_args)
{
  const struct mdk_fe_node *n = c->node;
  const struct mdk_fe_flagval *pf = mdk_fe_cmd_flag(c, "platform");
  const struct mdk_fe_arg *plat = pf && pf->set ? &pf->vals[pf->nvals - 1]
                                                : NULL;
  size_t i;

  if(c->stage_arg) {
    struct mdk_str raw = c->stage_arg->val;
    struct mdk_str as = n->nargs >= 2 ? n->args[1].val : MDK_STR_NULL;
    if(!all_lower(raw))
      lint_report(l, MDK_LINT_STAGE_NAME_CASING, n, kw(n), n->start_line,
                  "Stage name '%.*s' should be lowercase", MDK_STR_FMT(raw));
    if((all_upper(n->keyword) && !all_upper(as)) ||
       (all_lower(n->keyword) && !all_lower(as)))
      lint_report(l, MDK_LINT_FROM_AS_CASING, n, kw(n), n->start_line,
                  "'%.*s' and '%.*s' keywords' casing do not match",
                  MDK_STR_FMT(as), MDK_STR_FMT(n->keyword));
    if(in_list(c->stage_name, stages))
      lint_report(l, MDK_LINT_DUPLICATE_STAGE, n, kw(n), n->start_line,
                  "Duplicate stage name \"%.*s\", stage names should be "
                  "unique", MDK_STR_FMT(c->stage_name));
    if(mdk_str_eq_c(c->stage_name, "scratch") ||
       mdk_str_eq_c(c->stage_name, "context"))
      lint_report(l, MDK_LINT_RESERVED_STAGE, n, kw(n), n->start_line,
                  "Stage name should not use the same name as reserved "
                  "stage \"%.*s\"", MDK_STR_FMT(c->stage_name));
    mdk_vec_push(l->a, stages, &c->stage_name);
    description(l, n, "FROM", &c->stage_name, 1);
  }
  /* FROM sees global ARGs and the platform ARGs only */
  for(i = 0; i < x->nunset; i++) {
    struct mdk_str v = x->unset[i];
    const char *cands[64];
    size_t nc = 0, k;
    const char *s;
    if(in_list(v, meta_args))
      continue;
    for(k = 0; k < sizeof(builtin_args) / sizeof(builtin_args[0]); k++)
      cands[nc++] = builtin_args[k];
    for(k = 0; k < meta_args->len && nc < 64; k++)
      cands[nc++] = mdk_vec_at(meta_args, struct mdk_str, k)->ptr;
    s = mdk_str_suggest(v, cands, nc);
    lint_report(l, MDK_LINT_UNDEF_ARG_IN_FROM, n, kw(n), n->start_line,
                "FROM argument '%.*s' is not declared%s%s%s",
                MDK_STR_FMT(v), s ? " (did you mean " : "", s ? s : "",
                s ? "?)" : "");
  }
  if(plat) {
    struct mdk_str p = plat->val;
    if(mdk_str_eq_c(p, "$TARGETPLATFORM") ||
       mdk_str_eq_c(p, "${TARGETPLATFORM}"))
      lint_report(l, MDK_LINT_REDUNDANT_TARGET, n, kw(n), n->start_line,
                  "Setting platform to predefined %.*s in FROM is redundant "
                  "as this is the default behavior", MDK_STR_FMT(p));
    else if(mdk_str_index(p, '$') < 0) {
      /* a constant platform is fine in a stage named after it */
      struct mdk_str os = p, arch = MDK_STR_NULL;
      long sl = mdk_str_index(p, '/');
      bool named = false;
      if(sl >= 0) {
        os = mdk_str_make(p.ptr, (size_t)sl);
        arch = mdk_str_make(p.ptr + sl + 1, p.len - (size_t)sl - 1);
        sl = mdk_str_index(arch, '/');
        if(sl >= 0)
          arch.len = (size_t)sl;
      }
      if(c->stage_name.len) {
        const char *nm = c->stage_name.ptr;
        named = (os.len && memmem(nm, c->stage_name.len, os.ptr, os.len)) ||
                (arch.len && memmem(nm, c->stage_name.len, arch.ptr,
                                    arch.len));
      }
      if(!named)
        lint_report(l, MDK_LINT_PLATFORM_CONST, n, kw(n), n->start_line,
                    "FROM --platform flag should not use constant value "
                    "\"%.*s\"", MDK_STR_FMT(p));
    }
  }
  /* defaults alone make an empty or invalid base name */
  if(c->base && mdk_str_index(c->base->val, '$') >= 0 && x->stage >= 0) {
    struct mdk_str b = l->sem->stages[x->stage].base;
    const char *hint;
    bool is_stage = mdk_fe_stage_lookup(l->stage_names, (size_t)x->stage, b,
                                        MDK_FE_REF_FROM) >= 0;
    if(!is_stage && !mdk_str_eq_c(b, "scratch") &&
       mdk_fe_check_image_ref(l->a, b, &hint))
      lint_report(l, MDK_LINT_INVALID_DEF_ARG, n, kw(n), n->start_line,
                  "Default value for ARG %.*s results in empty or invalid "
                  "base image name", MDK_STR_FMT(c->base->val));
  }
}

struct stage_facts {
  bool shell_set;            /* SHELL somewhere in the stage chain */
  bool abs_workdir;          /* an absolute WORKDIR in the chain */
  bool scratch_rooted;       /* every variable is known (scratch, or a
                                base image whose ENV was given) */
  struct mdk_vec defined;    /* names ARG/ENV declared (struct mdk_str) */
};

static void undefined_vars(struct lint *l, const struct mdk_fe_node *n,
                           const struct mdk_fe_xcmd *x,
                           struct stage_facts *f)
{
  size_t i, k;
  if(!x->expands || !f->scratch_rooted)
    return;
  for(i = 0; i < x->nunset; i++) {
    struct mdk_str v = x->unset[i];
    const char *cands[256];
    size_t nc = 0;
    const char *s;
    if(!lint_shell_name(v) || in_list(v, &f->defined) || mdk_str_eq_c(v, "PATH"))
      continue;
    for(k = 0; k < f->defined.len && nc < 256; k++)
      cands[nc++] = mdk_vec_at(&f->defined, struct mdk_str, k)->ptr;
    s = mdk_str_suggest(v, cands, nc);
    lint_report(l, MDK_LINT_UNDEFINED_VAR, n, kw(n), n->start_line,
                "Usage of undefined variable '$%.*s'%s%s%s", MDK_STR_FMT(v),
                s ? " (did you mean $" : "", s ? s : "", s ? "?)" : "");
  }
}

void mdk_fe_lint_buildkit(struct lint *l)
{
  const struct mdk_fe_file *file = l->file;
  struct mdk_vec stages = MDK_VEC_INIT(struct mdk_str);
  struct mdk_vec meta = MDK_VEC_INIT(struct mdk_str);
  struct stage_facts *facts;
  size_t i, j;
  int cur = -1;

  facts = mdk_arena_array(l->a, struct stage_facts, l->sem->nstages + 1);
  casing(l);
  for(i = 0; i < l->ast->nwarnings; i++)
    if(strcmp(l->ast->warnings[i].rule, "NoEmptyContinuation") == 0)
      lint_report(l, MDK_LINT_NO_EMPTY_CONT, NULL, l->ast->warnings[i].loc,
                  l->ast->warnings[i].line, "Empty continuation line");

  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    const struct mdk_fe_node *n = c->node;
    struct stage_facts *f = cur >= 0 ? &facts[cur] : NULL;

    if(c->invalid)
      continue;
    if(c->kind == MDK_FE_FROM) {
      from_rules(l, c, x, &stages, &meta);
      cur = x->stage;
      if(cur < 0)
        continue;
      f = &facts[cur];
      f->defined = MDK_VEC_INIT(struct mdk_str);
      if(l->sem->stages[cur].parent >= 0) {
        const struct stage_facts *p = &facts[l->sem->stages[cur].parent];
        f->shell_set = p->shell_set;
        f->abs_workdir = p->abs_workdir;
        f->scratch_rooted = p->scratch_rooted;
        for(j = 0; j < p->defined.len; j++)
          mdk_vec_push(l->a, &f->defined,
                       mdk_vec_at(&p->defined, struct mdk_str, j));
      }
      else {
        f->scratch_rooted = l->sem->stages[cur].env_known;
      }
      continue;
    }
    if(cur >= 0 && l->reachable[cur])
      undefined_vars(l, n, x, f);
    switch(c->kind) {
    case MDK_FE_ARG: {
      struct mdk_str *names = mdk_arena_array(l->a, struct mdk_str,
                                              c->nargdefs + 1);
      for(j = 0; j < c->nargdefs; j++) {
        names[j] = c->argdefs[j].name;
        secret(l, n, "ARG", c->argdefs[j].name);
        if(f)
          mdk_vec_push(l->a, &f->defined, &c->argdefs[j].name);
        else
          mdk_vec_push(l->a, &meta, &c->argdefs[j].name);
      }
      description(l, n, "ARG", names, c->nargdefs);
      break;
    }
    case MDK_FE_ENV:
    case MDK_FE_LABEL:
      if(c->legacy) {
        const char *k = c->kind == MDK_FE_ENV ? "ENV" : "LABEL";
        lint_report(l, MDK_LINT_LEGACY_KV, n, kw(n), n->start_line,
                    "\"%s key=value\" should be used instead of legacy \"%s "
                    "key value\" format", k, k);
      }
      if(c->kind == MDK_FE_ENV)
        for(j = 0; j < c->npairs; j++) {
          secret(l, n, "ENV", c->keys[j * 3].val);
          if(f)
            mdk_vec_push(l->a, &f->defined, &c->keys[j * 3].val);
        }
      break;
    case MDK_FE_MAINTAINER:
      lint_report(l, MDK_LINT_MAINTAINER_DEPR, n, kw(n), n->start_line,
                  "Maintainer instruction is deprecated in favor of using "
                  "label");
      break;
    case MDK_FE_SHELL:
      if(f)
        f->shell_set = true;
      break;
    case MDK_FE_CMD:
    case MDK_FE_ENTRYPOINT:
      if(!c->json && c->nargs && f && !f->shell_set)
        lint_report(l, MDK_LINT_JSON_ARGS, n, kw(n), n->start_line,
                    "JSON arguments recommended for %s to prevent unintended "
                    "behavior related to OS signals",
                    upper(l, mdk_fe_kind_name(c->kind)));
      /* only the last one of a stage is used, like HEALTHCHECK */
      __attribute__((fallthrough));
    case MDK_FE_HEALTHCHECK:
      for(j = i + 1; j < file->ncmds && file->cmds[j].kind != MDK_FE_FROM;
          j++)
        if(file->cmds[j].kind == c->kind) {
          lint_report(l, MDK_LINT_MULTIPLE_INSTR, n, kw(n), n->start_line,
                      "Multiple %s instructions should not be used in the "
                      "same stage because only the last one will be used",
                      upper(l, mdk_fe_kind_name(c->kind)));
          break;
        }
      break;
    case MDK_FE_WORKDIR:
      if(f && x->nvals) {
        struct mdk_str v = x->vals[0].val, raw = x->vals[0].raw;
        /* WORKDIR $HOME/app on a base not known here: the base's ENV
         * may well make it absolute (BuildKit expands with it) */
        bool unknown = !f->scratch_rooted && x->nunset &&
                       (mdk_str_has_prefix(raw, "$") ||
                        mdk_str_has_prefix(raw, "\"$"));
        /* C:\go is absolute where it can be built at all (BuildKit's
         * system.IsAbs for a windows stage) */
        bool drive = v.len > 2 && ((v.ptr[0] | 0x20) >= 'a' &&
                                   (v.ptr[0] | 0x20) <= 'z') &&
                     v.ptr[1] == ':' && (v.ptr[2] == '\\' || v.ptr[2] == '/');
        if((v.len && v.ptr[0] == '/') || drive)
          f->abs_workdir = true;
        else if(!f->abs_workdir && !unknown)
          lint_report(l, MDK_LINT_WORKDIR_RELATIVE, n, kw(n), n->start_line,
                      "Relative workdir \"%.*s\" can have unexpected results "
                      "if the base image changes", MDK_STR_FMT(v));
      }
      break;
    case MDK_FE_EXPOSE:
      for(j = 0; j < x->nvals; j++) {
        struct mdk_str w = x->vals[j].val;
        long sl = mdk_str_index(w, '/');
        if(sl >= 0 && !all_lower(mdk_str_make(w.ptr + sl, w.len - (size_t)sl)))
          lint_report(l, MDK_LINT_EXPOSE_PROTO_CASE, n, kw(n), n->start_line,
                      "Defined protocol '%.*s' in EXPOSE instruction should "
                      "be lowercase", MDK_STR_FMT(w));
        if(mdk_str_index(w, ':') >= 0)
          lint_report(l, MDK_LINT_EXPOSE_INVALID, n, kw(n), n->start_line,
                      "EXPOSE instruction should not define an IP address or "
                      "host-port mapping, found '%.*s'", MDK_STR_FMT(w));
      }
      break;
    case MDK_FE_COPY:
    case MDK_FE_ADD: {
      const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");
      size_t k;
      if(!l->have_ignore || l->ig.has_exclusions || (from && from->set))
        break;
      for(k = 0; k < x->nvals; k++) {
        struct mdk_str s = x->vals[k].val;
        bool root;
        char *path;
        if(strcmp(x->vals[k].what, "source") != 0)
          continue;
        root = mdk_str_eq_c(s, ".") || mdk_str_eq_c(s, "/") ||
               mdk_str_eq_c(s, "./");
        if(root) {
          bool all = false;
          for(j = 0; j < l->ig.n; j++)
            if(mdk_str_eq_c(l->ig.pats[j].text, "*") ||
               mdk_str_eq_c(l->ig.pats[j].text, "**") ||
               mdk_str_eq_c(l->ig.pats[j].text, "**/*"))
              all = true;
          if(!all)
            continue;
        }
        else {
          /* the context-relative path the source names */
          while(s.len && (s.ptr[0] == '/' ||
                          (s.len > 1 && s.ptr[0] == '.' && s.ptr[1] == '/')))
          {
            size_t skip = s.ptr[0] == '/' ? 1 : 2;
            s.ptr += skip;
            s.len -= skip;
          }
          path = mdk_arena_strndup(l->a, s.ptr, s.len);
          if(!s.len || !mdk_ignore_match(&l->ig, path))
            continue;
        }
        lint_report(l, MDK_LINT_COPY_IGNORED, n, kw(n), n->start_line,
                    "Attempting to %s file \"%.*s\" that is excluded by "
                    ".dockerignore", c->kind == MDK_FE_COPY ? "Copy" : "Add",
                    MDK_STR_FMT(x->vals[k].val));
      }
      break;
    }
    default:
      break;
    }
  }
}
