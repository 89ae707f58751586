/* gojson.h - the JSON arrays of exec-form instructions, decoded exactly as
 * BuildKit's parseJSON does with Go's encoding/json. */
#ifndef MDK_FE_GOJSON_H
#define MDK_FE_GOJSON_H

#include "base/base.h"
#include "frontend/ast.h"

enum mdk_fe_json_result {
  MDK_FE_JSON_OK,           /* an array of strings */
  MDK_FE_JSON_INVALID,      /* not JSON: the caller falls back to shell form */
  MDK_FE_JSON_NOT_STRINGS   /* valid JSON with a non-string element: error */
};

/* Decodes text as a JSON array of strings.  Element offsets are relative to
 * text; base is added to them.  On NOT_STRINGS, bad_off and bad_len span the
 * first non-string element. */
enum mdk_fe_json_result mdk_fe_json_string_array(struct mdk_arena *a,
                                                 struct mdk_str text,
                                                 uint32_t base,
                                                 struct mdk_fe_arg **out,
                                                 size_t *n,
                                                 uint32_t *bad_off,
                                                 uint32_t *bad_len);

#endif
