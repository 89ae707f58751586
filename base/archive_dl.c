/* archive_dl.c - see archive_dl.h. */
#define MDK_ARCHIVE_DL_NO_MACROS
#include "base/archive_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct mdk_archive table;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct archive *no_archive(void)
{
  return NULL;
}

static void load(void)
{
  void *h = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
  if(!h)
    h = dlopen("libarchive.so", RTLD_NOW | RTLD_LOCAL);
  table.ok = h != NULL;
  /* POSIX: a function pointer from dlsym, through the object's bytes */
#define X(name)                                           \
  if(h) {                                                 \
    *(void **)(&table.name) = dlsym(h, #name);            \
    if(!table.name)                                       \
      table.ok = false;                                   \
  }
#include "base/archive_syms.def"
#undef X
  if(!table.ok) {
    /* the constructors fail; nothing else is reached without them */
    table.archive_read_new = no_archive;
    table.archive_write_new = no_archive;
  }
}

const struct mdk_archive *mdk_archive(void)
{
  pthread_once(&once, load);
  return &table;
}
