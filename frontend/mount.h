/* mount.h - RUN --mount as BuildKit's commands_runmount.go reads it: the
 * parser only splits the CSV and rejects a variable in from (parse time has
 * no expander); every other value is expanded first and then checked, in
 * field order, by mdk_fe_mount_resolve (dispatch time). */
#ifndef MDK_FE_MOUNT_H
#define MDK_FE_MOUNT_H

#include "frontend/commands.h"

/* Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False */
bool mdk_fe_parse_bool(struct mdk_str s, bool *out);

/* go-units RAMInBytes: "64m", "1.5GiB", "512 kb" (binary multiples) */
bool mdk_fe_ram_in_bytes(struct mdk_str s, int64_t *out);

/* The key a field names, canonical (target for dst/destination, source for
 * src, readonly for ro, readwrite for rw), or NULL when BuildKit knows no
 * such key. */
const char *mdk_fe_mount_canon_key(struct mdk_str lower_key);

/* Checks m (its values already expanded, from as written) in field order
 * and sets m->type; returns NULL, or the error with a fix in *hint. */
const char *mdk_fe_mount_resolve(struct mdk_arena *a, struct mdk_fe_mount *m,
                                 const char **hint);

#endif
