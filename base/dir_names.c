/* dir_names.c - the sorted names of a directory (see fsutil.h). */
#include "base/fsutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"

static int cmp_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **mdk_dir_names(int dirfd, size_t *n)
{
  int fd = dup(dirfd);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  struct dirent *de;
  char **names = NULL;
  size_t cap = 0;
  *n = 0;
  if(!d) {
    if(fd >= 0)
      close(fd);
    return NULL;
  }
  while((de = readdir(d))) {
    if(strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if(*n == cap) {
      cap = cap ? cap * 2 : 32;
      names = realloc(names, cap * sizeof(*names));
      if(!names)
        abort();
    }
    {
      size_t len = strlen(de->d_name);
      char *name = malloc(len + 2);
      if(!name)
        abort();
      memcpy(name, de->d_name, len + 1);
      name[len + 1] = (char)de->d_type;   /* mdk_dir_name_type */
      names[(*n)++] = name;
    }
  }
  closedir(d);
  /* an empty directory still gives a list: NULL means only failure */
  if(!names && !(names = calloc(1, sizeof(*names))))
    abort();
  mdk_sort(names, *n, sizeof(*names), cmp_name);
  return names;
}

void mdk_dir_names_free(char **names, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    free(names[i]);
  free(names);
}
