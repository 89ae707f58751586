/* mount.c - RUN --mount's keys and their checks after expansion, as
 * BuildKit's parseMount does them with an expander (commands_runmount.go):
 * in field order, so `required` before `type=secret` is still a bind's key,
 * then the rules that need the whole mount (validateMount). */
#include "frontend/mount.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mount_types[] = {"bind", "cache", "tmpfs", "secret",
                                          "ssh"};
#define NTYPES (sizeof(mount_types) / sizeof(mount_types[0]))

/* every key BuildKit accepts, aliases included */
static const char *const mount_keys[] = {
  "type", "target", "dst", "destination", "source", "src", "from",
  "readonly", "ro", "readwrite", "rw", "id", "sharing", "mode", "uid", "gid",
  "required", "size", "env"};
#define NKEYS (sizeof(mount_keys) / sizeof(mount_keys[0]))

static const char *const share_modes[] = {"shared", "private", "locked"};

const char *mdk_fe_mount_type_name(enum mdk_fe_mount_type t)
{
  return mount_types[t];
}

bool mdk_fe_parse_bool(struct mdk_str s, bool *out)
{
  static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
  size_t i;
  for(i = 0; i < 6; i++) {
    if(mdk_str_eq_c(s, yes[i])) {
      *out = true;
      return true;
    }
    if(mdk_str_eq_c(s, no[i])) {
      *out = false;
      return true;
    }
  }
  return false;
}

/* ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$, multiples of 1024 */
bool mdk_fe_ram_in_bytes(struct mdk_str s, int64_t *out)
{
  static const char units[] = "kmgtp";
  char num[64];
  size_t i = 0, n = 0;
  double v, mul = 1;
  const char *u;
  if(!s.len || s.ptr[0] < '0' || s.ptr[0] > '9')
    return false;
  while(i < s.len && ((s.ptr[i] >= '0' && s.ptr[i] <= '9') ||
                      (s.ptr[i] == '.' && i + 1 < s.len &&
                       s.ptr[i + 1] >= '0' && s.ptr[i + 1] <= '9' &&
                       s.ptr[i - 1] != '.'))) {
    if(n + 1 >= sizeof(num))
      return false;
    num[n++] = s.ptr[i++];
  }
  num[n] = 0;
  if(i < s.len && s.ptr[i] == ' ')
    i++;
  if(i < s.len && s.ptr[i] && (u = strchr(units, s.ptr[i] | 0x20)) != NULL) {
    size_t k = (size_t)(u - units) + 1;
    while(k--)
      mul *= 1024;
    i++;
  }
  if(i < s.len && (s.ptr[i] | 0x20) == 'i')
    i++;
  if(i < s.len && (s.ptr[i] | 0x20) == 'b')
    i++;
  if(i != s.len)
    return false;
  /* "1.2.3" matches the pattern; ParseFloat then fails, as in go-units */
  if(strchr(num, '.') != strrchr(num, '.'))
    return false;
  v = strtod(num, NULL) * mul;
  if(v > 9.2e18)
    return false;
  *out = (int64_t)v;
  return true;
}

const char *mdk_fe_mount_canon_key(struct mdk_str k)
{
  size_t i;
  if(mdk_str_eq_c(k, "dst") || mdk_str_eq_c(k, "destination"))
    return "target";
  if(mdk_str_eq_c(k, "src"))
    return "source";
  if(mdk_str_eq_c(k, "ro"))
    return "readonly";
  if(mdk_str_eq_c(k, "rw"))
    return "readwrite";
  for(i = 0; i < NKEYS; i++)
    if(mdk_str_eq_c(k, mount_keys[i]))
      return mount_keys[i];
  return NULL;
}

/* strconv.ParseUint(v, base, 32) */
static bool parse_u32(struct mdk_str v, int base)
{
  unsigned long long x = 0;
  size_t i;
  if(!v.len)
    return false;
  for(i = 0; i < v.len; i++) {
    int d = v.ptr[i] - '0';
    if(d < 0 || d >= base)
      return false;
    x = x * (unsigned)base + (unsigned)d;
    if(x > 0xffffffffULL)
      return false;
  }
  return true;
}

static const char *suggest(struct mdk_arena *a, struct mdk_str w,
                           const char *const *c, size_t n)
{
  const char *s = mdk_str_suggest(w, c, n);
  return s ? mdk_arena_printf(a, "did you mean %s?", s) : NULL;
}

const char *mdk_fe_mount_resolve(struct mdk_arena *a, struct mdk_fe_mount *m,
                                 const char **hint)
{
  bool fileinfo = false, sharing = false, from = false, src = false,
       dst = false, id = false, env = false, b;
  const char *tn;
  size_t i, k;

  *hint = NULL;
  m->type = MDK_FE_MOUNT_BIND;
  for(i = 0; i < m->nfields; i++) {
    const struct mdk_fe_mount_field *f = &m->fields[i];
    struct mdk_str lk = mdk_str_lower(a, f->written), v = f->val;
    const char *key = mdk_fe_mount_canon_key(lk);
    bool secretish = m->type == MDK_FE_MOUNT_SECRET ||
                     m->type == MDK_FE_MOUNT_SSH;
    tn = mount_types[m->type];
    if(f->bare) {
      if(key && (!strcmp(key, "readonly") || !strcmp(key, "readwrite")))
        continue;
      if(key && !strcmp(key, "required")) {
        if(secretish)
          continue;
        *hint = "put required after type=secret or type=ssh";
        return mdk_arena_printf(a, "unexpected key '%.*s' for mount type "
                                "'%s'", MDK_STR_FMT(lk), tn);
      }
      *hint = "write key=value";
      return mdk_arena_printf(a, "invalid field '%.*s' must be a key=value "
                              "pair", MDK_STR_FMT(f->raw));
    }
    if(!key) {
      *hint = suggest(a, lk, mount_keys, NKEYS);
      return mdk_arena_printf(a, "unexpected key '%.*s' in '%.*s'",
                              MDK_STR_FMT(lk), MDK_STR_FMT(f->raw));
    }
    if(!strcmp(key, "type")) {
      for(k = 0; k < NTYPES && !mdk_str_eq_ci(v, mount_types[k]); k++)
        ;
      if(k == NTYPES) {
        *hint = suggest(a, mdk_str_lower(a, v), mount_types, NTYPES);
        if(!*hint)
          *hint = "use bind, cache, tmpfs, secret or ssh";
        return mdk_arena_printf(a, "unsupported mount type \"%.*s\"",
                                MDK_STR_FMT(v));
      }
      m->type = (enum mdk_fe_mount_type)k;
    }
    else if(!strcmp(key, "readonly") || !strcmp(key, "readwrite") ||
            !strcmp(key, "required")) {
      if(!strcmp(key, "required") && !secretish) {
        *hint = "put required after type=secret or type=ssh";
        return mdk_arena_printf(a, "unexpected key '%.*s' for mount type "
                                "'%s'", MDK_STR_FMT(lk), tn);
      }
      if(!mdk_fe_parse_bool(v, &b)) {
        *hint = "use true or false";
        return mdk_arena_printf(a, "invalid value for %.*s: %.*s",
                                MDK_STR_FMT(lk), MDK_STR_FMT(v));
      }
    }
    else if(!strcmp(key, "size")) {
      int64_t bytes;
      if(m->type != MDK_FE_MOUNT_TMPFS) {
        *hint = "size applies to type=tmpfs only";
        return mdk_arena_printf(a, "unexpected key '%.*s' for mount type "
                                "'%s'", MDK_STR_FMT(lk), tn);
      }
      if(!mdk_fe_ram_in_bytes(v, &bytes)) {
        *hint = "write a size such as 64m or 1g";
        return mdk_arena_printf(a, "invalid value for %.*s: %.*s",
                                MDK_STR_FMT(lk), MDK_STR_FMT(v));
      }
    }
    else if(!strcmp(key, "sharing")) {
      for(k = 0; k < 3 && !mdk_str_eq_ci(v, share_modes[k]); k++)
        ;
      if(k == 3) {
        *hint = suggest(a, mdk_str_lower(a, v), share_modes, 3);
        if(!*hint)
          *hint = "use shared, private or locked";
        return mdk_arena_printf(a, "unsupported sharing value \"%.*s\"",
                                MDK_STR_FMT(v));
      }
      sharing = true;
    }
    else if(!strcmp(key, "mode") || !strcmp(key, "uid") ||
            !strcmp(key, "gid")) {
      if(!parse_u32(v, key[0] == 'm' ? 8 : 10)) {
        *hint = key[0] == 'm' ? "write an octal mode such as 0755"
                              : "write a number";
        return mdk_arena_printf(a, "invalid value %.*s for %s",
                                MDK_STR_FMT(v), key);
      }
      fileinfo = true;
    }
    else if(!strcmp(key, "from"))
      from = true;
    else if(!strcmp(key, "source"))
      src = v.len > 0;
    else if(!strcmp(key, "target"))
      dst = v.len > 0;
    else if(!strcmp(key, "id"))
      id = v.len > 0;
    else if(!strcmp(key, "env"))
      env = true;
  }
  tn = mount_types[m->type];
  if(fileinfo && m->type != MDK_FE_MOUNT_SECRET &&
     m->type != MDK_FE_MOUNT_SSH && m->type != MDK_FE_MOUNT_CACHE) {
    for(i = 0; i < m->nfields; i++) {
      const char *key = mdk_fe_mount_canon_key(mdk_str_lower(a,
                                                 m->fields[i].written));
      if(key && (!strcmp(key, "mode") || !strcmp(key, "uid") ||
                 !strcmp(key, "gid")))
        return mdk_arena_printf(a, "%s not allowed for \"%s\" type mounts",
                                key, tn);
    }
  }
  if(m->type == MDK_FE_MOUNT_SECRET) {
    if(from)
      return "secret mount should not have a from";
    if(sharing)
      return "secret mount should not define sharing";
    if(!src && !dst && !id && !env) {
      *hint = "add id=NAME (or target=/path)";
      return "invalid secret mount. one of source, target required";
    }
    if(src && id) {
      *hint = "source is an alias of id for secrets: keep one";
      return "both source and id can't be set";
    }
  }
  if(sharing && m->type != MDK_FE_MOUNT_CACHE) {
    *hint = "sharing applies to type=cache only";
    return mdk_arena_printf(a, "invalid cache sharing set for %s mount", tn);
  }
  if((m->type == MDK_FE_MOUNT_CACHE || m->type == MDK_FE_MOUNT_TMPFS) &&
     !dst) {
    *hint = "add target=/path";
    return mdk_arena_printf(a, "mount type %s requires a target", tn);
  }
  return NULL;
}
