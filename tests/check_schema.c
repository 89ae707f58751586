/* check_schema.c - validates a JSON document (stdin) against a JSON Schema
 * file, for the subset docs/ir-schema.json uses: type, enum, required,
 * properties, additionalProperties (false or a schema), items, pattern
 * (POSIX ERE) and local $ref.  Exit 0 when valid; else prints the path. */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

static json_t *root_schema;

static bool type_ok(json_t *v, const char *t)
{
  if(strcmp(t, "object") == 0) return json_is_object(v);
  if(strcmp(t, "array") == 0) return json_is_array(v);
  if(strcmp(t, "string") == 0) return json_is_string(v);
  if(strcmp(t, "integer") == 0) return json_is_integer(v);
  if(strcmp(t, "number") == 0) return json_is_number(v);
  if(strcmp(t, "boolean") == 0) return json_is_boolean(v);
  if(strcmp(t, "null") == 0) return json_is_null(v);
  return false;
}

static bool check(json_t *v, json_t *s, const char *path)
{
  json_t *t, *x;
  char sub[1024];
  const char *ref = json_string_value(json_object_get(s, "$ref"));
  if(ref) {
    const char *name = strrchr(ref, '/');
    return check(v, json_object_get(json_object_get(root_schema, "$defs"),
                                    name + 1), path);
  }
  t = json_object_get(s, "type");
  if(json_is_string(t) && !type_ok(v, json_string_value(t))) {
    fprintf(stderr, "%s: not of type %s\n", path, json_string_value(t));
    return false;
  }
  if(json_is_array(t)) {
    size_t i;
    bool any = false;
    for(i = 0; i < json_array_size(t); i++)
      any |= type_ok(v, json_string_value(json_array_get(t, i)));
    if(!any) {
      fprintf(stderr, "%s: of no allowed type\n", path);
      return false;
    }
  }
  x = json_object_get(s, "enum");
  if(x) {
    size_t i;
    bool any = false;
    for(i = 0; i < json_array_size(x); i++)
      any |= json_equal(v, json_array_get(x, i));
    if(!any) {
      fprintf(stderr, "%s: not one of the enum values\n", path);
      return false;
    }
  }
  x = json_object_get(s, "pattern");
  if(x && json_is_string(v)) {
    regex_t re;
    int rc;
    regcomp(&re, json_string_value(x), REG_EXTENDED | REG_NOSUB);
    rc = regexec(&re, json_string_value(v), 0, NULL, 0);
    regfree(&re);
    if(rc) {
      fprintf(stderr, "%s: does not match %s\n", path, json_string_value(x));
      return false;
    }
  }
  if(json_is_object(v)) {
    json_t *props = json_object_get(s, "properties");
    json_t *addl = json_object_get(s, "additionalProperties");
    const char *k;
    json_t *val;
    size_t i;
    x = json_object_get(s, "required");
    for(i = 0; i < json_array_size(x); i++)
      if(!json_object_get(v, json_string_value(json_array_get(x, i)))) {
        fprintf(stderr, "%s: missing %s\n", path,
                json_string_value(json_array_get(x, i)));
        return false;
      }
    json_object_foreach(v, k, val) {
      json_t *ps = props ? json_object_get(props, k) : NULL;
      snprintf(sub, sizeof(sub), "%s.%s", path, k);
      if(ps) {
        if(!check(val, ps, sub))
          return false;
      }
      else if(json_is_false(addl)) {
        fprintf(stderr, "%s: not allowed\n", sub);
        return false;
      }
      else if(json_is_object(addl) && !check(val, addl, sub)) {
        return false;
      }
    }
  }
  if(json_is_array(v) && (x = json_object_get(s, "items"))) {
    size_t i;
    for(i = 0; i < json_array_size(v); i++) {
      snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
      if(!check(json_array_get(v, i), x, sub))
        return false;
    }
  }
  return true;
}

int main(int argc, char **argv)
{
  json_error_t err;
  json_t *doc;
  int ok;
  if(argc != 2) {
    fputs("usage: check_schema SCHEMA.json < DOC.json\n", stderr);
    return 2;
  }
  root_schema = json_load_file(argv[1], 0, &err);
  if(!root_schema) {
    fprintf(stderr, "%s: %s\n", argv[1], err.text);
    return 2;
  }
  doc = json_loadf(stdin, 0, &err);
  if(!doc) {
    fprintf(stderr, "not JSON: %s (line %d)\n", err.text, err.line);
    return 1;
  }
  ok = check(doc, root_schema, "$");
  json_decref(doc);
  json_decref(root_schema);
  return ok ? 0 : 1;
}
