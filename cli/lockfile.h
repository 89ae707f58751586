/* lockfile.h - `mdock build --lock FILE [--locked]`: the manifest digest
 * each FROM resolved to, written after a build, enforced by --locked.
 * The file is {"from": {"REF": "sha256:..."}}. */
#ifndef MDK_CLI_LOCKFILE_H
#define MDK_CLI_LOCKFILE_H

#include "backend/backend.h"

/* Fills ro's lock_refs/lock_digests; prints the error.  0 or 1. */
int mdk_cli_lock_load(struct mdk_arena *a, const char *path,
                      struct mdk_be_resolve_opts *ro);
/* Writes what ro resolved, once per reference; prints the error. */
int mdk_cli_lock_save(const char *path, const struct mdk_be_resolve_opts *ro);

#endif
