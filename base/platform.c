/* platform.c - platforms as containerd's platforms package normalises
 * them, so "linux/aarch64", "linux/arm64/v8" and "arm64" are one platform
 * and an index entry without a variant is the architecture's default. */
#include "base/platform.h"

#include "base/arena.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

static void lower(char *s)
{
  for(; *s; s++)
    *s = (char)tolower((unsigned char)*s);
}

/* containerd's normalizeArch */
static void normalize(struct mdk_platform *p)
{
  lower(p->os);
  lower(p->arch);
  lower(p->variant);
  if(strcmp(p->os, "macos") == 0)
    strcpy(p->os, "darwin");
  if(strcmp(p->arch, "i386") == 0 || strcmp(p->arch, "i686") == 0)
    strcpy(p->arch, "386");
  else if(strcmp(p->arch, "x86_64") == 0 || strcmp(p->arch, "x86-64") == 0)
    strcpy(p->arch, "amd64");
  else if(strcmp(p->arch, "aarch64") == 0)
    strcpy(p->arch, "arm64");
  else if(strcmp(p->arch, "armhf") == 0) {
    strcpy(p->arch, "arm");
    strcpy(p->variant, "v7");
  }
  else if(strcmp(p->arch, "armel") == 0) {
    strcpy(p->arch, "arm");
    strcpy(p->variant, "v6");
  }
  if(strcmp(p->arch, "arm64") == 0 &&
     (strcmp(p->variant, "v8") == 0 || strcmp(p->variant, "8") == 0))
    p->variant[0] = '\0';
  if(strcmp(p->arch, "arm") == 0) {
    if(!p->variant[0] || strcmp(p->variant, "7") == 0)
      strcpy(p->variant, "v7");
    else if(strcmp(p->variant, "5") == 0 || strcmp(p->variant, "6") == 0 ||
            strcmp(p->variant, "8") == 0) {
      char v[32];
      snprintf(v, sizeof(v), "v%s", p->variant);
      strcpy(p->variant, v);
    }
  }
}

static bool part(const char *s, size_t n, char out[32])
{
  size_t i;
  if(n == 0 || n >= 32)
    return false;
  for(i = 0; i < n; i++)
    if(!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' &&
       s[i] != '.')
      return false;
  memcpy(out, s, n);
  out[n] = '\0';
  return true;
}

bool mdk_platform_parse(const char *s, struct mdk_platform *p)
{
  const char *a, *v;
  memset(p, 0, sizeof(*p));
  if(!s || !*s)
    return false;
  a = strchr(s, '/');
  if(!a) {                      /* an architecture alone */
    if(!part(s, strlen(s), p->arch))
      return false;
    strcpy(p->os, "linux");
    normalize(p);
    return true;
  }
  v = strchr(a + 1, '/');
  if(!part(s, (size_t)(a - s), p->os) ||
     !part(a + 1, v ? (size_t)(v - a - 1) : strlen(a + 1), p->arch) ||
     (v && (strchr(v + 1, '/') || !part(v + 1, strlen(v + 1), p->variant))))
    return false;
  normalize(p);
  return true;
}

static void host_uncached(struct mdk_platform *p)
{
  struct utsname u;
  memset(p, 0, sizeof(*p));
  strcpy(p->os, "linux");
  if(uname(&u) == 0 && part(u.machine, strlen(u.machine), p->arch)) {
    if(strcmp(p->arch, "armv7l") == 0 || strcmp(p->arch, "armv6l") == 0) {
      snprintf(p->variant, sizeof(p->variant), "v%c", p->arch[4]);
      strcpy(p->arch, "arm");
    }
    normalize(p);
  }
  else
    strcpy(p->arch, "amd64");
}

static struct mdk_platform host;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;

static void host_init(void)
{
  host_uncached(&host);
}

/* once per process: lint asks for it for every file (the platform ARGs) */
void mdk_platform_host(struct mdk_platform *p)
{
  pthread_once(&host_once, host_init);
  *p = host;
}

const char *mdk_platform_str(const struct mdk_platform *p, char *buf,
                             size_t cap)
{
  snprintf(buf, cap, "%s/%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "",
           p->variant);
  return buf;
}

bool mdk_platform_match(const struct mdk_platform *p, const char *os,
                        const char *arch, const char *variant)
{
  struct mdk_platform q;
  memset(&q, 0, sizeof(q));
  if(!arch || !part(arch, strlen(arch), q.arch))
    return false;
  if(!os || !part(os, strlen(os), q.os))
    strcpy(q.os, "linux");
  if(variant && *variant && !part(variant, strlen(variant), q.variant))
    return false;
  normalize(&q);
  return mdk_platform_eq(p, &q);
}

bool mdk_platform_eq(const struct mdk_platform *a,
                     const struct mdk_platform *b)
{
  return strcmp(a->os, b->os) == 0 && strcmp(a->arch, b->arch) == 0 &&
         strcmp(a->variant, b->variant) == 0;
}

static const struct {
  const char *arch, *qemu;
  int elf;
} arches[] = {
  {"amd64", "x86_64", 62},   {"386", "i386", 3},
  {"arm64", "aarch64", 183}, {"arm", "arm", 40},
  {"ppc64le", "ppc64le", 21}, {"s390x", "s390x", 22},
  {"riscv64", "riscv64", 243}, {"mips64le", "mips64el", 8},
  {"mips64", "mips64", 8},   {"loong64", "loongarch64", 258},
};

int mdk_platform_elf_machine(const struct mdk_platform *p)
{
  size_t i;
  for(i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
    if(strcmp(arches[i].arch, p->arch) == 0)
      return arches[i].elf;
  return 0;
}

const char *mdk_platform_qemu_name(const struct mdk_platform *p)
{
  size_t i;
  for(i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
    if(strcmp(arches[i].arch, p->arch) == 0)
      return arches[i].qemu;
  return NULL;
}

bool mdk_platform_native(const struct mdk_platform *p)
{
  struct mdk_platform h;
  mdk_platform_host(&h);
  if(strcmp(p->os, "linux") != 0)
    return false;
  if(strcmp(p->arch, h.arch) == 0)
    return true;
  /* the 32-bit x86 ABI every amd64 kernel Debian builds keeps */
  return strcmp(h.arch, "amd64") == 0 && strcmp(p->arch, "386") == 0;
}

static char host_str[100];
static pthread_once_t host_str_once = PTHREAD_ONCE_INIT;

static void host_str_init(void)
{
  struct mdk_platform h;
  mdk_platform_host(&h);
  mdk_platform_str(&h, host_str, sizeof(host_str));
}

const char *mdk_platform_host_str(void)
{
  pthread_once(&host_str_once, host_str_init);
  return host_str;
}

const char *mdk_platform_normalize(struct mdk_arena *a, const char *s)
{
  struct mdk_platform p;
  char buf[100];
  if(!mdk_platform_parse(s, &p))
    return s;
  mdk_platform_str(&p, buf, sizeof(buf));
  return mdk_arena_strndup(a, buf, strlen(buf));
}
