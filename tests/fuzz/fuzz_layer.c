/* fuzz_layer.c - libFuzzer target: the layer reader (backend/layer_read.c)
 * on arbitrary bytes, as a plain, gzip or zstd tar.  Every input unpacks
 * into a fresh root beside a canary directory; whatever the archive says
 * (`..`, absolute names, symlinks and hard links out, whiteouts of the
 * parent), nothing may appear, vanish or change outside the root. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/layer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[64], root[96], canary[96];

static void rm_tree(int dfd)
{
  DIR *d = fdopendir(dfd);
  struct dirent *de;
  if(!d) {
    close(dfd);
    return;
  }
  while((de = readdir(d))) {
    int sub;
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if(unlinkat(dirfd(d), de->d_name, 0) == 0)
      continue;
    fchmodat(dirfd(d), de->d_name, 0700, 0);
    sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if(sub >= 0)
      rm_tree(sub);
    unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
  }
  closedir(d);
}

/* The base directory holds only root (when made) and canary, and the canary holds
 * exactly its one file with its one content. */
static void check_contained(void)
{
  DIR *d = opendir(base);
  struct dirent *de;
  char buf[16];
  int fd;
  ssize_t r;
  struct stat st;
  if(!d)
    abort();
  while((de = readdir(d)))
    if(strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
       strcmp(de->d_name, "root") && strcmp(de->d_name, "canary"))
      abort();                  /* something was created beside the root */
  closedir(d);
  fd = open(canary, O_RDONLY | O_NOFOLLOW);
  if(fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
     (st.st_mode & 07777) != 0644 || st.st_nlink != 1)
    abort();                    /* replaced, linked or chmod'ed */
  r = read(fd, buf, sizeof(buf));
  close(fd);
  if(r != 6 || memcmp(buf, "canary", 6))
    abort();                    /* written through */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_be_unpack_opts o = { .overlay = size % 2 == 1 };
  struct mdk_err e;
  int fd, rfd;
  if(!base[0]) {
    snprintf(base, sizeof(base), "/dev/shm/fuzz_layer.%d", (int)getpid());
    snprintf(root, sizeof(root), "%s/root", base);
    snprintf(canary, sizeof(canary), "%s/canary", base);
    mkdir(base, 0755);
  }
  unlink(canary);
  fd = open(canary, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if(fd < 0 || write(fd, "canary", 6) != 6)
    abort();
  close(fd);
  fd = memfd_create("layer", MFD_CLOEXEC);
  if(fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
    abort();
  lseek(fd, 0, SEEK_SET);
  (void)mdk_be_unpack_fd(fd, root, &o, &e);
  close(fd);
  check_contained();
  rfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if(rfd >= 0)
    rm_tree(rfd);
  rmdir(root);
  return 0;
}
