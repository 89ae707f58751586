/* validate.c - value checks the builder applies after expansion, with the
 * messages of the Go libraries BuildKit uses (distribution/reference,
 * moby/sys/signal, go-connections/nat, containerd/platforms). */
#include "frontend/validate.h"

#include <arpa/inet.h>
#include <string.h>

static bool lower_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* path-component: [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)* */
static bool path_component(const char *p, size_t n)
{
  size_t i = 0;
  if(!n || !lower_alnum(p[0]) || !lower_alnum(p[n - 1]))
    return false;
  while(i < n) {
    if(lower_alnum(p[i])) {
      i++;
      continue;
    }
    if(p[i] == '.' || p[i] == '_') {
      size_t run = 0;
      while(i < n && p[i] == '_') {
        run++;
        i++;
      }
      if(run == 0)
        i++;
      else if(run > 2)
        return false;
      if(i >= n || !lower_alnum(p[i]))
        return false;
      continue;
    }
    if(p[i] == '-') {
      while(i < n && p[i] == '-')
        i++;
      if(i >= n || !lower_alnum(p[i]))
        return false;
      continue;
    }
    return false;
  }
  return true;
}

/* domain: host components of [a-zA-Z0-9-] joined by '.', optional :port,
 * or a bracketed IPv6 address */
static bool domain_ok(const char *p, size_t n)
{
  size_t i = 0, colon = n;
  if(n && p[0] == '[') {
    const char *e = memchr(p, ']', n);
    if(!e)
      return false;
    i = (size_t)(e - p) + 1;
    if(i == n)
      return true;
    if(p[i] != ':')
      return false;
    colon = i;
  }
  else {
    for(i = 0; i < n; i++)
      if(p[i] == ':') {
        colon = i;
        break;
      }
    if(colon == 0)
      return false;
    for(i = 0; i < colon; i++) {
      char c = p[i];
      if(!(lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'))
        return false;
      if(c == '.' && (i == 0 || p[i - 1] == '.' || i + 1 == colon))
        return false;
    }
  }
  if(colon < n) {
    if(colon + 1 == n)
      return false;
    for(i = colon + 1; i < n; i++)
      if(!is_digit(p[i]))
        return false;
  }
  return true;
}

static bool has_upper(const char *p, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(p[i] >= 'A' && p[i] <= 'Z')
      return true;
  return false;
}

const char *mdk_fe_check_image_ref(struct mdk_arena *a, struct mdk_str ref,
                                   const char **hint)
{
  const char *p = ref.ptr, *at, *slash;
  size_t n = ref.len, name_end, i;
  *hint = "write [registry/]repository[:tag][@sha256:digest] in lower case";
  if(n == 0) {
    *hint = "the image name expanded to nothing: check the ARG it uses";
    return mdk_arena_printf(a, "base name (%.*s) should not be blank",
                            MDK_STR_FMT(ref));
  }
  at = memchr(p, '@', n);
  name_end = at ? (size_t)(at - p) : n;
  if(at) {
    const char *d = at + 1, *colon;
    size_t dn = n - name_end - 1;
    colon = memchr(d, ':', dn);
    /* distribution/reference's digest: an algorithm of letters and digits
     * (starting with a letter, parts joined by - _ + .), then 32 or more
     * hex digits; only then is sha256's length checked */
    if(!colon || colon == d || dn - (size_t)(colon - d) - 1 < 32)
      return "invalid reference format";
    for(i = 0; d + i < colon; i++) {
      bool sep = d[i] == '-' || d[i] == '_' || d[i] == '+' || d[i] == '.';
      bool letter = (d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z');
      if(sep ? (i == 0 || d + i + 1 == colon ||
                !((d[i + 1] >= 'a' && d[i + 1] <= 'z') ||
                  (d[i + 1] >= 'A' && d[i + 1] <= 'Z')))
             : !(letter || (i > 0 && is_digit(d[i]))))
        return "invalid reference format";
    }
    for(i = (size_t)(colon - d) + 1; i < dn; i++)
      if(!(is_digit(d[i]) || (d[i] >= 'a' && d[i] <= 'f') ||
           (d[i] >= 'A' && d[i] <= 'F')))
        return "invalid reference format";
    {
      /* go-digest's algorithms and their lengths */
      size_t al = (size_t)(colon - d), hl = dn - al - 1;
      if(al == 6 && strncmp(d, "sha256", 6) == 0 ? hl != 64
         : al == 6 && strncmp(d, "sha384", 6) == 0 ? hl != 96
         : al == 6 && strncmp(d, "sha512", 6) == 0 ? hl != 128
         : false)
        return "invalid checksum digest length";
      if(!(al == 6 && (strncmp(d, "sha256", 6) == 0 ||
                       strncmp(d, "sha384", 6) == 0 ||
                       strncmp(d, "sha512", 6) == 0)))
        return "unsupported digest algorithm";
    }
  }
  /* a tag is after the last ':' that follows the last '/' */
  {
    size_t last_slash = 0, k, tag = name_end;
    bool any_slash = false;
    for(k = 0; k < name_end; k++)
      if(p[k] == '/') {
        last_slash = k;
        any_slash = true;
      }
    for(k = any_slash ? last_slash : 0; k < name_end; k++)
      if(p[k] == ':') {
        tag = k;
        break;
      }
    if(tag < name_end) {
      size_t tl = name_end - tag - 1;
      if(tl == 0 || tl > 128)
        return "invalid reference format";
      if(!(lower_alnum(p[tag + 1]) || (p[tag + 1] >= 'A' && p[tag + 1] <= 'Z')
           || p[tag + 1] == '_'))
        return "invalid reference format";
      for(k = tag + 1; k < name_end; k++) {
        char c = p[k];
        if(!(lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_' ||
             c == '.' || c == '-'))
          return "invalid reference format";
      }
      name_end = tag;
    }
  }
  /* name: [domain/]component(/component)* */
  slash = memchr(p, '/', name_end);
  i = 0;
  if(slash) {
    size_t dl = (size_t)(slash - p);
    bool looks_domain = memchr(p, '.', dl) || memchr(p, ':', dl) ||
                        (dl == 9 && strncmp(p, "localhost", 9) == 0) ||
                        has_upper(p, dl);
    if(looks_domain) {
      if(!domain_ok(p, dl))
        return "invalid reference format";
      i = dl + 1;
    }
  }
  if(has_upper(p + i, name_end - i))
    return "invalid reference format: repository name must be lowercase";
  while(i <= name_end) {
    const char *e = memchr(p + i, '/', name_end - i);
    size_t ce = e ? (size_t)(e - p) : name_end;
    if(!path_component(p + i, ce - i))
      return "invalid reference format";
    i = ce + 1;
  }
  if(name_end > 255)
    return "repository name must not be more than 255 characters";
  return NULL;
}

/* chmod(1) symbolic: [ugoa]*([-+=]([rwxXst]*|[ugo]))+ joined by ',' */
static bool symbolic_mode(struct mdk_str m)
{
  size_t i = 0;
  if(!m.len)
    return false;
  for(;;) {
    while(i < m.len && strchr("ugoa", m.ptr[i]))
      i++;
    if(i >= m.len || !strchr("+-=", m.ptr[i]))
      return false;
    while(i < m.len && strchr("+-=", m.ptr[i])) {
      i++;
      if(i < m.len && strchr("ugo", m.ptr[i])) {
        i++;
        continue;
      }
      while(i < m.len && strchr("rwxXst", m.ptr[i]))
        i++;
    }
    if(i == m.len)
      return true;
    if(m.ptr[i] != ',')
      return false;
    i++;
  }
}

const char *mdk_fe_check_chmod(struct mdk_arena *a, struct mdk_str mode,
                               const char **hint)
{
  size_t i;
  unsigned long v = 0;
  bool octal = mode.len > 0;
  *hint = "use an octal mode up to 07777 (e.g. 0755) or a symbolic one "
          "(e.g. u=rwX,go=rX)";
  for(i = 0; i < mode.len; i++) {
    if(mode.ptr[i] < '0' || mode.ptr[i] > '7') {
      octal = false;
      break;
    }
    if(v <= 07777)
      v = v * 8 + (unsigned long)(mode.ptr[i] - '0');
  }
  if(octal) {
    if(v > 07777)
      return mdk_arena_printf(a, "invalid chmod parameter: '%.*s'. it should "
                              "be octal string and between 0 and 07777",
                              MDK_STR_FMT(mode));
    return NULL;
  }
  if(symbolic_mode(mode))
    return NULL;
  /* a value that looks numeric gets BuildKit's octal text (mode.Parse
   * fails on it with a NumError: convert_copy.go's nonOctalErr) */
  if(mode.len && is_digit(mode.ptr[0]))
    return mdk_arena_printf(a, "invalid chmod parameter: '%.*s'. it should "
                            "be octal string and between 0 and 07777",
                            MDK_STR_FMT(mode));
  return mdk_arena_printf(a, "invalid chmod parameter: '%.*s'",
                          MDK_STR_FMT(mode));
}

static const char *const signals[] = {
  "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT",
  "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV",
  "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG",
  "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX"};

const char *mdk_fe_check_signal(struct mdk_arena *a, struct mdk_str sig,
                                const char **hint)
{
  struct mdk_str s = sig;
  size_t i;
  bool num = s.len > 0;
  long v = 0;
  *hint = "use a signal name such as SIGTERM or SIGQUIT, or a number";
  for(i = (s.len && (s.ptr[0] == '-' || s.ptr[0] == '+')) ? 1 : 0;
      i < s.len; i++) {
    if(!is_digit(s.ptr[i]) || v > 1000000) {
      num = false;
      break;
    }
    v = v * 10 + (s.ptr[i] - '0');
  }
  if(num && s.len > (size_t)(s.ptr[0] == '-' || s.ptr[0] == '+')) {
    if(v == 0)
      return mdk_arena_printf(a, "Invalid signal: %.*s", MDK_STR_FMT(sig));
    return NULL;
  }
  if(s.len >= 3 && (s.ptr[0] | 0x20) == 's' && (s.ptr[1] | 0x20) == 'i' &&
     (s.ptr[2] | 0x20) == 'g') {
    s.ptr += 3;
    s.len -= 3;
  }
  for(i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
    if(mdk_str_eq_ci(s, signals[i]))
      return NULL;
  /* RTMIN+n, RTMAX-n (n 1..15) */
  if(s.len >= 7 && (mdk_str_has_prefix(mdk_str_lower(a, s), "rtmin+") ||
                    mdk_str_has_prefix(mdk_str_lower(a, s), "rtmax-"))) {
    long n = 0;
    for(i = 6; i < s.len && is_digit(s.ptr[i]); i++)
      n = n * 10 + (s.ptr[i] - '0');
    if(i == s.len && n >= 1 && n <= 15)
      return NULL;
  }
  return mdk_arena_printf(a, "Invalid signal: %.*s", MDK_STR_FMT(sig));
}

static bool port_num(const char *p, size_t n, long *out)
{
  size_t i;
  long v = 0;
  if(!n || n > 5)
    return false;
  for(i = 0; i < n; i++) {
    if(!is_digit(p[i]))
      return false;
    v = v * 10 + (p[i] - '0');
  }
  if(v > 65535)
    return false;
  *out = v;
  return true;
}

/* PORT or LO-HI, as go-connections' ParsePortRange reads it */
static bool port_range(const char *p, size_t n, long *lo, long *hi)
{
  const char *dash = memchr(p, '-', n);
  if(!dash) {
    if(!port_num(p, n, lo))
      return false;
    *hi = *lo;
    return true;
  }
  return port_num(p, (size_t)(dash - p), lo) &&
         port_num(dash + 1, n - (size_t)(dash - p) - 1, hi);
}

const char *mdk_fe_check_port(struct mdk_arena *a, struct mdk_str spec,
                              bool *mapped, const char **hint)
{
  const char *p = spec.ptr, *slash, *colon;
  size_t n = spec.len;
  long lo, hi;
  struct mdk_str proto = mdk_str_c("tcp");

  *mapped = false;
  *hint = "write PORT[/tcp|udp|sctp] or a range such as 8000-8010/udp";
  slash = memchr(p, '/', n);
  if(slash) {
    proto = mdk_str_make(slash + 1, n - (size_t)(slash - p) - 1);
    n = (size_t)(slash - p);
    /* "8080/" is tcp (go-connections' splitProtoPort) */
    if(!proto.len)
      proto = mdk_str_c("tcp");
  }
  /* ip:hostport:port or hostport:port: the container port is last */
  colon = memrchr(p, ':', n);
  if(colon) {
    /* IP:HOSTPORT:PORT as go-connections' splitParts reads it: the part
     * before the host port (everything up to it, for an IPv6 address
     * without brackets) must be an IP, the host port a port or range */
    const char *c2 = memrchr(p, ':', (size_t)(colon - p));
    const char *host = c2 ? c2 + 1 : p, *err = NULL;
    size_t hn = (size_t)(colon - host);
    *mapped = true;
    if(c2) {
      char ip[64];
      size_t ipn = (size_t)(c2 - p);
      unsigned char bin[16];
      const char *ipp = p;
      if(ipn >= 2 && ipp[0] == '[' && ipp[ipn - 1] == ']') {
        ipp++;
        ipn -= 2;
      }
      snprintf(ip, sizeof(ip), "%.*s", (int)(ipn < 63 ? ipn : 63), ipp);
      if(ipn && (ipn > 63 || (inet_pton(AF_INET, ip, bin) != 1 &&
                              inet_pton(AF_INET6, ip, bin) != 1)))
        err = mdk_arena_printf(a, "invalid IP address: %.*s",
                               (int)(c2 - p), p);
    }
    if(!err && hn && !port_range(host, hn, &lo, &hi))
      err = mdk_arena_printf(a, "invalid hostPort: %.*s", (int)hn, host);
    if(err) {
      *hint = "EXPOSE takes PORT[/PROTO]; a mapping IP:HOSTPORT:PORT "
              "needs a real IP and host port (and is ignored)";
      return err;
    }
    n -= (size_t)(colon + 1 - p);
    p = colon + 1;
  }
  if(!port_range(p, n, &lo, &hi))
    return mdk_arena_printf(a, "invalid containerPort: %.*s",
                            MDK_STR_FMT(spec));
  if(hi < lo)
    return mdk_arena_printf(a, "invalid range specified for container "
                            "port: %.*s", MDK_STR_FMT(spec));
  if(!mdk_str_eq_ci(proto, "tcp") && !mdk_str_eq_ci(proto, "udp") &&
     !mdk_str_eq_ci(proto, "sctp"))
    /* current BuildKit names the whole spec first */
    return mdk_arena_printf(a, "invalid port: \"%.*s\": invalid proto: %.*s",
                            MDK_STR_FMT(spec), MDK_STR_FMT(proto));
  return NULL;
}

const char *mdk_fe_check_platform(struct mdk_arena *a, struct mdk_str p,
                                  const char **hint)
{
  size_t i, parts = 1;
  *hint = "write OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64/v8";
  if(p.len == 0)
    return NULL;
  for(i = 0; i < p.len; i++) {
    char c = p.ptr[i];
    if(c == '/') {
      if(i == 0 || i + 1 == p.len || p.ptr[i - 1] == '/')
        return mdk_arena_printf(a, "failed to parse platform %.*s: invalid "
                                "platform", MDK_STR_FMT(p));
      parts++;
      continue;
    }
    if(!(lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
         c == '.' || c == ','))
      return mdk_arena_printf(a, "failed to parse platform %.*s: \"%.*s\" is "
                              "an invalid component", MDK_STR_FMT(p),
                              MDK_STR_FMT(p));
  }
  if(parts > 3)
    return mdk_arena_printf(a, "failed to parse platform %.*s: too many "
                            "components", MDK_STR_FMT(p));
  return NULL;
}
