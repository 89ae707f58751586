/* shlex.h - BuildKit's shell-word processing (frontend/dockerfile/shell):
 * quote removal, escapes and $VAR / ${VAR...} expansion, optionally splitting
 * into words after expansion.  Used by the builder-side expansion of
 * instructions, by heredoc detection, and by lint. */
#ifndef MDK_FE_SHLEX_H
#define MDK_FE_SHLEX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

/* Looks a variable up; returns false when it is not set. */
typedef bool (*mdk_fe_env_get_fn)(void *ud, struct mdk_str name,
                                  struct mdk_str *val);

struct mdk_fe_env {
  mdk_fe_env_get_fn get;
  void *ud;
};

struct mdk_fe_shlex_opts {
  uint32_t escape;            /* '\\' or '`' */
  bool raw_quotes;            /* keep quote characters in the result */
  bool raw_escapes;           /* keep escape characters in the result */
  bool skip_process_quotes;   /* quotes are ordinary characters */
  bool skip_unset_env;        /* leave unset references as written */
};

/* Which ${...} forms a word used: lint and the modal dialect need it. */
enum {
  MDK_FE_USE_DEFAULT = 1 << 0,   /* ${V:-w} ${V-w} */
  MDK_FE_USE_ALT = 1 << 1,       /* ${V:+w} ${V+w} */
  MDK_FE_USE_ERROR = 1 << 2,     /* ${V:?e} ${V?e} */
  MDK_FE_USE_TRIM = 1 << 3,      /* ${V#p} ${V##p} ${V%p} ${V%%p} */
  MDK_FE_USE_REPLACE = 1 << 4    /* ${V/p/r} ${V//p/r} */
};

struct mdk_fe_shlex_modifier {
  uint32_t off, len;          /* byte span of the whole ${...} in the input */
  int kind;                   /* one MDK_FE_USE_* bit */
  struct mdk_str name;
};

struct mdk_fe_shlex_result {
  struct mdk_str word;        /* ProcessWord: expanded, quotes removed */
  struct mdk_str *words;      /* ProcessWords: split after expansion */
  size_t nwords;
  struct mdk_str *matched;    /* names referenced and set, first-use order */
  size_t nmatched;
  struct mdk_str *unmatched;  /* names referenced and unset */
  size_t nunmatched;
  struct mdk_fe_shlex_modifier *mods;   /* every ${V<op>...} used */
  size_t nmods;
  int uses;                   /* OR of MDK_FE_USE_* */
  const char *err;            /* error message (BuildKit's text), or NULL */
  uint32_t err_off;           /* byte offset in the input the error is at */
  bool err_limit;             /* the error is MDOCK_MAX_EXPANSION's: no
                               * caller may keep the word as written */
};

/* Processes one word; on error returns MDK_EEXPAND and sets res->err.
 * Results live in the arena. */
enum mdk_status mdk_fe_shlex_process(struct mdk_arena *a,
                                     const struct mdk_fe_shlex_opts *opts,
                                     struct mdk_str input,
                                     const struct mdk_fe_env *env,
                                     struct mdk_fe_shlex_result *res);

/* An environment over a flat list of "K=V" strings or K/V pairs. */
struct mdk_fe_kv {
  struct mdk_str key, val;
};
struct mdk_fe_kvlist {
  struct mdk_fe_kv *items;
  size_t len;
};
bool mdk_fe_kvlist_get(void *ud, struct mdk_str name, struct mdk_str *val);

#endif
