/* git.h - ADD of a git repository, as BuildKit's git source: the
 * reference's parts (dfgitutil.ParseGitRef: "#ref:subdir", or the query
 * form ?ref=&subdir=&keep-git-dir=&checksum=&submodules=), the commit a ref
 * names now (the cache key's input), and a checkout of exactly that
 * commit.  The work is done by git(1), as BuildKit does it. */
#ifndef MDK_BE_GIT_H
#define MDK_BE_GIT_H

#include "base/base.h"

struct mdk_be_git_src {
  const char *remote;           /* what git clones: the URL without #/? */
  const char *ref;              /* branch, tag, full ref or commit; "" HEAD */
  const char *subdir;           /* "" for the whole tree */
  const char *checksum;         /* a commit the ref must resolve to */
  bool keep_git_dir;            /* from the reference's own options */
  bool submodules;              /* default true */
};

/* Splits src (an ADD source ir/source.c typed git) into its parts. */
enum mdk_status mdk_be_git_parse(struct mdk_arena *a, const char *src,
                                 struct mdk_be_git_src *out,
                                 struct mdk_err *e);

/* The commit g's ref names on its remote now (git ls-remote; an annotated
 * tag peeled; a 40-hex ref is itself), checked against its checksum. */
enum mdk_status mdk_be_git_resolve(struct mdk_arena *a,
                                   const struct mdk_be_git_src *g,
                                   char commit[41], struct mdk_err *e);

/* Checks commit out into dir (created): a shallow fetch of that commit,
 * its submodules, and .git kept only when keep_git_dir. */
enum mdk_status mdk_be_git_checkout(struct mdk_arena *a,
                                    const struct mdk_be_git_src *g,
                                    const char *commit, const char *dir,
                                    bool keep_git_dir, struct mdk_err *e);

#endif
