/* import.h - mdock import: oci:DIR[:tag], oci-archive:F[:tag] or
 * docker-archive:F into the store (import.c). */
#ifndef MDK_REG_IMPORT_H
#define MDK_REG_IMPORT_H

#include "store/store.h"

/* Imports; *name_out: the tag it was stored under (arena), if any. */
enum mdk_status mdk_be_import(struct mdk_be_store *s, struct mdk_arena *a,
                              const char *spec, const char *tag,
                              const char **name_out, mdk_digest manifest,
                              struct mdk_err *e);

#endif
