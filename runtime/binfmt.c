/* binfmt.c - RUN for a foreign platform.  The kernel runs a binary of
 * another architecture through a binfmt_misc handler whose magic matches
 * the ELF header; registered with the F flag the interpreter is opened at
 * registration, so it works inside a root that does not contain it
 * (BuildKit's binfmt image and Debian's qemu-user-static both use F).
 * A handler without F would look for the interpreter inside the image:
 * refused here with what to do, rather than failing obscurely in RUN. */
#include "runtime/binfmt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "base/base.h"

#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"

enum handler { H_NONE, H_OK, H_DISABLED, H_NO_FIX };

/* one registered handler: does its magic match an ELF binary of machine
 * elf (bytes 18-19 of the header, little-endian) and how usable is it */
static enum handler handler_for(const char *name, int elf, char *interp,
                                size_t cap)
{
  char path[512], buf[4096], *line, *save;
  bool enabled = false, fix = false, match = false;
  int fd;
  ssize_t n;
  snprintf(path, sizeof(path), "%s/%s", BINFMT_DIR, name);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return H_NONE;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if(n <= 0)
    return H_NONE;
  buf[n] = '\0';
  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    if(strcmp(line, "enabled") == 0)
      enabled = true;
    else if(strncmp(line, "interpreter ", 12) == 0)
      snprintf(interp, cap, "%s", line + 12);
    else if(strncmp(line, "flags: ", 7) == 0)
      fix = strchr(line + 7, 'F') != NULL;
    else if(strncmp(line, "offset ", 7) == 0 && atoi(line + 7) != 0)
      return H_NONE;
    else if(strncmp(line, "magic ", 6) == 0) {
      const char *h = line + 6;
      unsigned char b[20];
      size_t i;
      for(i = 0; i < 20 && mdk_hex_value(h[2 * i]) >= 0 &&
                 mdk_hex_value(h[2 * i + 1]) >= 0; i++)
        b[i] = (unsigned char)(mdk_hex_value(h[2 * i]) * 16 +
                               mdk_hex_value(h[2 * i + 1]));
      match = i == 20 && memcmp(b, "\x7f" "ELF", 4) == 0 &&
              (b[18] | b[19] << 8) == elf;
    }
  }
  if(!match)
    return H_NONE;
  return !enabled ? H_DISABLED : !fix ? H_NO_FIX : H_OK;
}

static enum handler find_handler(int elf, char *name, size_t ncap,
                                 char *interp, size_t icap)
{
  DIR *d = opendir(BINFMT_DIR);
  struct dirent *de;
  enum handler best = H_NONE;
  if(!d)
    return H_NONE;
  while((de = readdir(d))) {
    enum handler h;
    char ip[256] = "";
    if(de->d_name[0] == '.' || strcmp(de->d_name, "register") == 0 ||
       strcmp(de->d_name, "status") == 0)
      continue;
    h = handler_for(de->d_name, elf, ip, sizeof(ip));
    /* an enabled handler with F wins over any other */
    if(h != H_NONE && (best == H_NONE || h == H_OK)) {
      best = h;
      snprintf(name, ncap, "%s", de->d_name);
      snprintf(interp, icap, "%s", ip);
    }
    if(best == H_OK)
      break;
  }
  closedir(d);
  return best;
}

/* the binfmt.d line qemu-user-static installs for qemu, written to the
 * kernel's register file */
static bool register_qemu(const char *qemu)
{
  static const char *const dirs[] = {"/etc/binfmt.d", "/run/binfmt.d",
                                     "/usr/lib/binfmt.d"};
  size_t i;
  for(i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
    char path[256], line[1024];
    FILE *f;
    bool ok = false;
    snprintf(path, sizeof(path), "%s/qemu-%s.conf", dirs[i], qemu);
    f = fopen(path, "r");
    if(!f)
      continue;
    while(fgets(line, sizeof(line), f)) {
      size_t n = strlen(line);
      int fd;
      while(n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
      if(!n || line[0] == '#' || line[0] == ';')
        continue;
      fd = open(BINFMT_DIR "/register", O_WRONLY | O_CLOEXEC);
      ok = fd >= 0 && write(fd, line, n) == (ssize_t)n;
      if(fd >= 0)
        close(fd);
      break;
    }
    fclose(f);
    if(ok)
      return true;
  }
  return false;
}

/* the platforms of a build check at once: one registers, the other finds
 * it registered */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static enum mdk_status platform_ready(const struct mdk_platform *p,
                                      struct mdk_err *e);

enum mdk_status mdk_rt_platform_ready(const struct mdk_platform *p,
                                      struct mdk_err *e)
{
  enum mdk_status st;
  if(mdk_platform_native(p))
    return MDK_OK;
  pthread_mutex_lock(&mu);
  st = platform_ready(p, e);
  pthread_mutex_unlock(&mu);
  return st;
}

static enum mdk_status platform_ready(const struct mdk_platform *p,
                                      struct mdk_err *e)
{
  /* what was found ready once stays ready for this process */
  static char ready[8][100];
  char pb[100], hb[100], name[256] = "", interp[256] = "";
  struct mdk_platform host;
  const char *qemu = mdk_platform_qemu_name(p);
  int elf = mdk_platform_elf_machine(p);
  enum handler h;
  size_t i;

  if(mdk_platform_native(p))
    return MDK_OK;
  mdk_platform_str(p, pb, sizeof(pb));
  for(i = 0; i < 8 && ready[i][0]; i++)
    if(strcmp(ready[i], pb) == 0)
      return MDK_OK;
  mdk_platform_host(&host);
  mdk_platform_str(&host, hb, sizeof(hb));
  if(strcmp(p->os, "linux") != 0 || !qemu || !elf)
    return mdk_fail(e, MDK_EINPUT, "this %s machine cannot run %s "
                    "binaries (no emulator handles them)", hb, pb);
  if(access(BINFMT_DIR "/status", F_OK) != 0 && geteuid() == 0)
    mount("binfmt_misc", BINFMT_DIR, "binfmt_misc", 0, NULL);
  h = find_handler(elf, name, sizeof(name), interp, sizeof(interp));
  if(h == H_NONE && geteuid() == 0 && register_qemu(qemu))
    h = find_handler(elf, name, sizeof(name), interp, sizeof(interp));
  switch(h) {
  case H_OK:
    for(i = 0; i < 8; i++)
      if(!ready[i][0]) {
        snprintf(ready[i], sizeof(ready[i]), "%s", pb);
        break;
      }
    return MDK_OK;
  case H_DISABLED:
    return mdk_fail(e, MDK_EINPUT, "cannot run %s binaries on this %s "
                    "machine: the binfmt_misc handler %s is disabled "
                    "(enable it: echo 1 > %s/%s, as root)", pb, hb, name,
                    BINFMT_DIR, name);
  case H_NO_FIX:
    return mdk_fail(e, MDK_EINPUT, "cannot run %s binaries in a build: the "
                    "binfmt_misc handler %s (%s) is registered without the "
                    "F flag, so the image would need the emulator inside "
                    "it (register qemu-%s with flags F, as Debian's "
                    "qemu-user-static does)", pb, name, interp, qemu);
  case H_NONE:
    break;
  }
  if(access(BINFMT_DIR "/status", F_OK) != 0)
    return mdk_fail(e, MDK_EINPUT, "cannot run %s binaries on this %s "
                    "machine: binfmt_misc is not mounted (as root: mount "
                    "-t binfmt_misc binfmt_misc %s, then install Debian's "
                    "qemu-user-static)", pb, hb, BINFMT_DIR);
  return mdk_fail(e, MDK_EINPUT, "cannot run %s binaries on this %s "
                  "machine: no binfmt_misc handler for %s (install QEMU's "
                  "user emulation: apt-get install qemu-user-static; mdock "
                  "registers it when it runs as root, or run "
                  "update-binfmts --enable qemu-%s)", pb, hb, qemu, qemu);
}
