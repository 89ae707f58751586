/* ast_json.c - `mdock parse --format json`: the typed AST with source spans,
 * flags, heredocs, directives, stages, expanded values and the variables
 * every instruction used (schema "mdock.ast/v1", README). */
#include "frontend/frontend.h"

#include "base/base.h"

static void pos(struct mdk_jsonw *w, const char *key, struct mdk_loc loc)
{
  struct mdk_pos p;
  if(!loc.src)
    return;
  p = mdk_source_pos(loc.src, loc.start);
  mdk_jsonw_key(w, key);
  mdk_jsonw_begin(w, '{');
  if(loc.src->nsegs) {
    mdk_jsonw_key(w, "source");
    mdk_jsonw_cstr(w, p.name);
  }
  mdk_jsonw_key(w, "line");
  mdk_jsonw_int(w, p.line);
  mdk_jsonw_key(w, "column");
  mdk_jsonw_int(w, p.col);
  mdk_jsonw_key(w, "offset");
  mdk_jsonw_int(w, loc.start);
  mdk_jsonw_key(w, "length");
  mdk_jsonw_int(w, loc.end - loc.start);
  mdk_jsonw_end(w, '}');
}

static void args(struct mdk_jsonw *w, const char *key,
                 const struct mdk_fe_node *n, const struct mdk_fe_arg *a,
                 size_t na)
{
  size_t i;
  mdk_jsonw_key(w, key);
  mdk_jsonw_begin(w, '[');
  for(i = 0; i < na; i++) {
    mdk_jsonw_begin(w, '{');
    mdk_jsonw_key(w, "value");
    mdk_jsonw_str(w, a[i].val);
    pos(w, "at", mdk_fe_arg_loc(n, &a[i]));
    mdk_jsonw_end(w, '}');
  }
  mdk_jsonw_end(w, ']');
}

static void strs(struct mdk_jsonw *w, const char *key, const struct mdk_str *s,
                 size_t n)
{
  size_t i;
  mdk_jsonw_key(w, key);
  mdk_jsonw_begin(w, '[');
  for(i = 0; i < n; i++)
    mdk_jsonw_str(w, s[i]);
  mdk_jsonw_end(w, ']');
}

static void options(struct mdk_jsonw *w, const struct mdk_fe_cmd *c)
{
  size_t i, j;
  mdk_jsonw_key(w, "options");
  mdk_jsonw_begin(w, '{');
  for(i = 0; i < c->nflags; i++) {
    const struct mdk_fe_flagval *f = &c->flags[i];
    if(!f->set)
      continue;
    mdk_jsonw_key(w, f->name);
    if(f->type == MDK_FE_FLAG_BOOL)
      mdk_jsonw_bool(w, f->bval);
    else if(f->type == MDK_FE_FLAG_STRING)
      mdk_jsonw_str(w, f->vals[f->nvals - 1].val);
    else {
      mdk_jsonw_begin(w, '[');
      for(j = 0; j < f->nvals; j++)
        mdk_jsonw_str(w, f->vals[j].val);
      mdk_jsonw_end(w, ']');
    }
  }
  mdk_jsonw_end(w, '}');
}

static void node_json(struct mdk_jsonw *w, const struct mdk_fe_node *n,
                      const struct mdk_fe_cmd *c,
                      const struct mdk_fe_xcmd *x)
{
  size_t i, j;
  mdk_jsonw_begin(w, '{');
  mdk_jsonw_key(w, "instruction");
  mdk_jsonw_cstr(w, mdk_fe_kind_name(n->kind));
  mdk_jsonw_key(w, "keyword");
  mdk_jsonw_str(w, n->keyword);
  if(x) {
    mdk_jsonw_key(w, "stage");
    if(x->stage < 0)
      mdk_jsonw_null(w);
    else
      mdk_jsonw_int(w, x->stage);
  }
  pos(w, "at", mdk_fe_node_loc(n));
  if(n->start_line) {
    mdk_jsonw_key(w, "start_line");
    mdk_jsonw_int(w, n->start_line);
    mdk_jsonw_key(w, "end_line");
    mdk_jsonw_int(w, n->end_line);
  }
  mdk_jsonw_key(w, "original");
  mdk_jsonw_str(w, mdk_str_make(n->line->text.ptr + n->text_off,
                                n->line->text.len - n->text_off));
  mdk_jsonw_key(w, "form");
  mdk_jsonw_cstr(w, n->json ? "exec" : "shell");
  args(w, "flags", n, n->flags, n->nflags);
  if(c)
    options(w, c);
  args(w, "args", n, n->args, n->nargs);
  if(c && c->nmounts) {
    mdk_jsonw_key(w, "mounts");
    mdk_jsonw_begin(w, '[');
    for(i = 0; i < c->nmounts; i++) {
      mdk_jsonw_begin(w, '{');
      mdk_jsonw_key(w, "type");
      mdk_jsonw_cstr(w, mdk_fe_mount_type_name(c->mounts[i].type));
      for(j = 0; j < c->mounts[i].nfields; j++) {
        const struct mdk_fe_mount_field *f = &c->mounts[i].fields[j];
        mdk_jsonw_key(w, f->key.ptr);
        if(f->bare)
          mdk_jsonw_bool(w, true);
        else
          mdk_jsonw_str(w, f->val);
      }
      mdk_jsonw_end(w, '}');
    }
    mdk_jsonw_end(w, ']');
  }
  if(c && (c->kind == MDK_FE_ENV || c->kind == MDK_FE_LABEL)) {
    mdk_jsonw_key(w, "legacy_form");
    mdk_jsonw_bool(w, c->legacy);
  }
  if(c && c->kind == MDK_FE_HEALTHCHECK && c->hc_type.len) {
    mdk_jsonw_key(w, "healthcheck");
    mdk_jsonw_begin(w, '{');
    mdk_jsonw_key(w, "type");
    mdk_jsonw_str(w, c->hc_type);
    mdk_jsonw_key(w, "interval_ns");
    mdk_jsonw_int(w, c->hc_interval);
    mdk_jsonw_key(w, "timeout_ns");
    mdk_jsonw_int(w, c->hc_timeout);
    mdk_jsonw_key(w, "start_period_ns");
    mdk_jsonw_int(w, c->hc_start_period);
    mdk_jsonw_key(w, "start_interval_ns");
    mdk_jsonw_int(w, c->hc_start_interval);
    mdk_jsonw_key(w, "retries");
    mdk_jsonw_int(w, c->hc_retries);
    mdk_jsonw_end(w, '}');
  }
  if(n->nheredocs) {
    mdk_jsonw_key(w, "heredocs");
    mdk_jsonw_begin(w, '[');
    for(i = 0; i < n->nheredocs; i++) {
      const struct mdk_fe_heredoc *h = &n->heredocs[i];
      mdk_jsonw_begin(w, '{');
      mdk_jsonw_key(w, "name");
      mdk_jsonw_str(w, h->name);
      mdk_jsonw_key(w, "content");
      mdk_jsonw_str(w, h->content);
      mdk_jsonw_key(w, "expand");
      mdk_jsonw_bool(w, h->expand);
      mdk_jsonw_key(w, "chomp");
      mdk_jsonw_bool(w, h->chomp);
      mdk_jsonw_key(w, "fd");
      mdk_jsonw_int(w, h->fd);
      mdk_jsonw_end(w, '}');
    }
    mdk_jsonw_end(w, ']');
  }
  if(n->child) {
    mdk_jsonw_key(w, "trigger");
    node_json(w, n->child, NULL, NULL);
    if(c && c->onbuild_expr.len) {
      mdk_jsonw_key(w, "trigger_text");
      mdk_jsonw_str(w, c->onbuild_expr);
    }
  }
  if(n->ncomments)
    strs(w, "comments", n->comments, n->ncomments);
  if(x) {
    mdk_jsonw_key(w, "expanded_by_builder");
    mdk_jsonw_bool(w, x->expands);
    if(x->nvals) {
      mdk_jsonw_key(w, "expanded");
      mdk_jsonw_begin(w, '[');
      for(i = 0; i < x->nvals; i++) {
        mdk_jsonw_begin(w, '{');
        mdk_jsonw_key(w, "what");
        mdk_jsonw_cstr(w, x->vals[i].what);
        mdk_jsonw_key(w, "raw");
        mdk_jsonw_str(w, x->vals[i].raw);
        mdk_jsonw_key(w, "value");
        mdk_jsonw_str(w, x->vals[i].val);
        mdk_jsonw_end(w, '}');
      }
      mdk_jsonw_end(w, ']');
    }
    strs(w, "vars_used", x->used, x->nused);
    strs(w, "vars_unset", x->unset, x->nunset);
  }
  mdk_jsonw_end(w, '}');
}

enum mdk_status mdk_fe_write_json(const struct mdk_fe_ast *ast,
                                  const struct mdk_fe_file *file,
                                  const struct mdk_fe_sem *sem,
                                  struct mdk_buf *out, FILE *sink)
{
  struct mdk_jsonw w;
  size_t i;
  char esc[2] = {(char)ast->escape, 0};

  mdk_jsonw_init(&w, out);
  mdk_jsonw_stream(&w, sink);
  mdk_jsonw_begin(&w, '{');
  mdk_jsonw_key(&w, "schema");
  mdk_jsonw_cstr(&w, "mdock.ast/v1");
  mdk_jsonw_key(&w, "file");
  mdk_jsonw_cstr(&w, ast->src->name);
  mdk_jsonw_key(&w, "escape");
  mdk_jsonw_cstr(&w, esc);
  mdk_jsonw_key(&w, "directives");
  mdk_jsonw_begin(&w, '[');
  for(i = 0; i < ast->ndirectives; i++) {
    mdk_jsonw_begin(&w, '{');
    mdk_jsonw_key(&w, "key");
    mdk_jsonw_str(&w, ast->directives[i].key);
    mdk_jsonw_key(&w, "value");
    mdk_jsonw_str(&w, ast->directives[i].value);
    pos(&w, "at", ast->directives[i].loc);
    mdk_jsonw_end(&w, '}');
  }
  mdk_jsonw_end(&w, ']');
  mdk_jsonw_key(&w, "checks");
  mdk_jsonw_begin(&w, '{');
  mdk_jsonw_key(&w, "skip_all");
  mdk_jsonw_bool(&w, ast->checks.skip_all);
  strs(&w, "skip", ast->checks.skip, ast->checks.nskip);
  mdk_jsonw_key(&w, "error");
  mdk_jsonw_bool(&w, ast->checks.error);
  mdk_jsonw_key(&w, "experimental_all");
  mdk_jsonw_bool(&w, ast->checks.experimental_all);
  strs(&w, "experimental", ast->checks.experimental,
       ast->checks.nexperimental);
  mdk_jsonw_end(&w, '}');
  mdk_jsonw_key(&w, "warnings");
  mdk_jsonw_begin(&w, '[');
  for(i = 0; i < ast->nwarnings; i++) {
    mdk_jsonw_begin(&w, '{');
    mdk_jsonw_key(&w, "rule");
    mdk_jsonw_cstr(&w, ast->warnings[i].rule);
    mdk_jsonw_key(&w, "message");
    mdk_jsonw_cstr(&w, ast->warnings[i].msg);
    mdk_jsonw_key(&w, "line");
    mdk_jsonw_int(&w, ast->warnings[i].line);
    mdk_jsonw_end(&w, '}');
  }
  mdk_jsonw_end(&w, ']');
  if(sem) {
    mdk_jsonw_key(&w, "stages");
    mdk_jsonw_begin(&w, '[');
    for(i = 0; i < sem->nstages; i++) {
      const struct mdk_fe_stage *s = &sem->stages[i];
      mdk_jsonw_begin(&w, '{');
      mdk_jsonw_key(&w, "index");
      mdk_jsonw_int(&w, (int64_t)i);
      mdk_jsonw_key(&w, "name");
      if(s->name.len)
        mdk_jsonw_str(&w, s->name);
      else
        mdk_jsonw_null(&w);
      mdk_jsonw_key(&w, "base");
      mdk_jsonw_str(&w, s->base);
      mdk_jsonw_key(&w, "base_stage");
      if(s->parent >= 0)
        mdk_jsonw_int(&w, s->parent);
      else
        mdk_jsonw_null(&w);
      mdk_jsonw_key(&w, "platform");
      if(s->platform.len)
        mdk_jsonw_str(&w, s->platform);
      else
        mdk_jsonw_null(&w);
      mdk_jsonw_key(&w, "instructions");
      mdk_jsonw_int(&w, (int64_t)s->ncmds);
      mdk_jsonw_end(&w, '}');
    }
    mdk_jsonw_end(&w, ']');
  }
  mdk_jsonw_key(&w, "instructions");
  mdk_jsonw_begin(&w, '[');
  for(i = 0; i < ast->nnodes; i++)
    node_json(&w, ast->nodes[i], file ? &file->cmds[i] : NULL,
              sem ? &sem->x[i] : NULL);
  mdk_jsonw_end(&w, ']');
  mdk_jsonw_end(&w, '}');
  return mdk_buf_putc(out, '\n');
}
