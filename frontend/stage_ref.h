/* stage_ref.h - which stage a name means (stage_ref.c). */
#ifndef MDK_FE_STAGE_REF_H
#define MDK_FE_STAGE_REF_H

#include "frontend/expand.h"

/* Where a stage name is written, for mdk_fe_stage_lookup (stage_ref.c). */
enum mdk_fe_stage_ref {
  MDK_FE_REF_FROM,              /* FROM NAME: exact, lower-case names */
  MDK_FE_REF_COPY_FROM,         /* COPY --from: an index or any case */
  MDK_FE_REF_MOUNT_FROM,        /* RUN --mount=from=: any case */
  MDK_FE_REF_TARGET             /* --target: any case */
};
/* The stage ref names among stages 0..n-1 (names lower-cased, empty for
 * unnamed stages; pass only the stages visible where ref is written), or
 * -1: an image, or an error for the caller to report.  The first stage of
 * a duplicated name wins. */
int mdk_fe_stage_lookup(const struct mdk_str *names, size_t n,
                        struct mdk_str ref, enum mdk_fe_stage_ref how);
/* A COPY --from index (a decimal number up to 100,000), or -1. */
long mdk_fe_stage_index(struct mdk_str ref);
/* --build-context NAME=...: what an image reference that is not a stage
 * means instead.  NAME and the reference are compared as BuildKit does, in
 * their familiar form (docker.io/library/ and :latest dropped), so
 * `alpine` names FROM alpine:latest too.  The replacement, or ref. */
struct mdk_str mdk_fe_named_context(const struct mdk_fe_kv *named, size_t n,
                                    struct mdk_str ref);

/* The stage names of an expanded file, in order, for the lookup. */
const struct mdk_str *mdk_fe_stage_names(struct mdk_arena *a,
                                         const struct mdk_fe_sem *sem);

#endif
