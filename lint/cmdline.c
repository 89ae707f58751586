/* cmdline.c - getopt_long as the package managers use it, over lint's
 * shell words. */
#include "lint/cmdline.h"

#include <string.h>

static bool long_takes_val(const struct mdk_lint_tool *t, struct mdk_str n)
{
  size_t i;
  for(i = 0; t->long_val && t->long_val[i]; i++)
    if(mdk_str_eq_c(n, t->long_val[i]))
      return true;
  return false;
}

void mdk_lint_cmdline(struct mdk_arena *a, const struct mdk_sh_cmd *sc,
                      size_t from, const struct mdk_lint_tool *t,
                      struct mdk_lint_cmdline *out)
{
  struct mdk_vec opts = MDK_VEC_INIT(struct mdk_lint_opt);
  struct mdk_vec ops = MDK_VEC_INIT(size_t);
  size_t i;
  bool ended = false;
  for(i = from; i < sc->n; i++) {
    struct mdk_str w = sc->w[i].text;
    struct mdk_lint_opt o;
    memset(&o, 0, sizeof(o));
    if(ended || w.len < 2 || w.ptr[0] != '-') {
      if(!ended || !t->dashdash_ends)
        mdk_vec_push(a, &ops, &i);
      continue;
    }
    if(mdk_str_eq_c(w, "--")) {
      ended = true;
      continue;
    }
    if(w.ptr[1] == '-') {
      long eq = mdk_str_index(w, '=');
      o.name = mdk_str_make(w.ptr + 2, (eq < 0 ? w.len : (size_t)eq) - 2);
      if(eq >= 0) {
        o.val = mdk_str_make(w.ptr + eq + 1, w.len - (size_t)eq - 1);
        o.has_val = true;
      }
      else if(i + 1 < sc->n &&
              (long_takes_val(t, o.name) ||
               /* an option the table does not know, given a boolean
                * (gem's --use-system-libraries true): no package is
                * called true */
               mdk_str_eq_c(sc->w[i + 1].text, "true") ||
               mdk_str_eq_c(sc->w[i + 1].text, "false"))) {
        o.val = sc->w[++i].text;
        o.has_val = true;
      }
      mdk_vec_push(a, &opts, &o);
      continue;
    }
    /* a cluster of short options; one that takes a value ends it */
    {
      size_t k;
      for(k = 1; k < w.len; k++) {
        memset(&o, 0, sizeof(o));
        o.shrt = w.ptr[k];
        if(t->short_val && o.shrt != '=' && strchr(t->short_val, o.shrt)) {
          if(k + 1 < w.len) {
            size_t v = k + 1 + (w.ptr[k + 1] == '=');
            o.val = mdk_str_make(w.ptr + v, w.len - v);
            o.has_val = true;
          }
          else if(i + 1 < sc->n) {
            o.val = sc->w[++i].text;
            o.has_val = true;
          }
          mdk_vec_push(a, &opts, &o);
          break;
        }
        if(o.shrt == '=') {     /* -q=2: the rest is the value */
          struct mdk_lint_opt *prev = opts.len
            ? mdk_vec_at(&opts, struct mdk_lint_opt, opts.len - 1) : NULL;
          if(prev) {
            prev->val = mdk_str_make(w.ptr + k + 1, w.len - k - 1);
            prev->has_val = true;
          }
          break;
        }
        mdk_vec_push(a, &opts, &o);
      }
    }
  }
  out->opts = opts.items;
  out->nopts = opts.len;
  out->ops = ops.items;
  out->nops = ops.len;
}

static bool matches(const struct mdk_lint_opt *o, char shrt, const char *name)
{
  return (shrt && o->shrt == shrt) ||
         (name && !o->shrt && mdk_str_eq_c(o->name, name));
}

bool mdk_lint_has_opt(const struct mdk_lint_cmdline *cl, char shrt,
                      const char *name)
{
  size_t i;
  for(i = 0; i < cl->nopts; i++)
    if(matches(&cl->opts[i], shrt, name))
      return true;
  return false;
}

struct mdk_str mdk_lint_opt_val(const struct mdk_lint_cmdline *cl, char shrt,
                                const char *name)
{
  struct mdk_str v = MDK_STR_NULL;
  size_t i;
  for(i = 0; i < cl->nopts; i++)
    if(matches(&cl->opts[i], shrt, name) && cl->opts[i].has_val)
      v = cl->opts[i].val;
  return v;
}
