/* copy.h - COPY/ADD planning: which files a source selects (wildcards,
 * .dockerignore, --exclude, --parents), where each lands under the
 * destination (Docker's rules for "into a directory" vs "as this name"),
 * with what owner and mode; the plan then streams into a layer.  Sources
 * are read inside their root (the context, or another stage's root), so a
 * symlink cannot lead a COPY out of it. */
#ifndef MDK_BE_COPY_H
#define MDK_BE_COPY_H

#include "store/store.h"
#include "base/base.h"

struct mdk_be_copy_entry {
  char *dest;                   /* in the layer: no leading '/' */
  struct mdk_be_entry en;       /* en.path == dest; content via src_* */
  char *src_rel;                /* owned copy of en.src_name */
  char *link;                   /* owned copy of en.link */
  size_t seq;                   /* insertion order: the later one wins */
};

struct mdk_be_copy_plan {
  struct mdk_be_copy_entry *e;
  size_t n, cap;
  /* what the entries need: ownership and modes asked for */
  bool chown;
  uint32_t uid, gid;
  bool chmod;
  uint32_t mode;
  int64_t now;                  /* mtime of directories COPY creates */
  int dest_rootfd;              /* the stage's root, -1 when empty */
  const struct mdk_ignore *ignore;   /* .dockerignore (context only) */
  const struct mdk_ignore *exclude;  /* --exclude */
  bool parents;                 /* --parents */
  int fds[64];                  /* source dirs the plan reads, closed by */
  size_t nfds;                  /* mdk_be_copy_plan_free */
};

/* The plan keeps fd open until it is freed; false when it has too many. */
bool mdk_be_copy_plan_own_fd(struct mdk_be_copy_plan *p, int fd);

void mdk_be_copy_plan_init(struct mdk_be_copy_plan *p);
void mdk_be_copy_plan_free(struct mdk_be_copy_plan *p);

/* Adds what src (relative to srcfd, wildcards allowed) selects, to land at
 * dest (absolute, a trailing '/' = into the directory).  many: there are
 * several sources (dest is then a directory).  keep_owner: files keep
 * their uid/gid (COPY --from) instead of 0:0. */
enum mdk_status mdk_be_copy_add_source(struct mdk_be_copy_plan *p, int srcfd,
                                       const char *src, const char *dest,
                                       bool many, bool keep_owner,
                                       struct mdk_err *e);
/* One file with the given content source (a heredoc written to a file). */
enum mdk_status mdk_be_copy_add_file(struct mdk_be_copy_plan *p, int srcfd,
                                     const char *src_rel, const char *name,
                                     const char *dest, bool many,
                                     struct mdk_err *e);
/* Sorts the plan (depth first, names in byte order), keeps the last of
 * equal destinations, adds the parent directories, and writes the layer. */
enum mdk_status mdk_be_copy_write(struct mdk_be_copy_plan *p,
                                  struct mdk_be_store *s,
                                  const struct mdk_be_layer_opts *lo,
                                  struct mdk_be_layer_desc *d,
                                  struct mdk_err *e);

#endif
