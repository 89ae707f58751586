/* mktar.c - writes the tars the hostile-input suite needs, which tar(1)
 * will not make: names with `..` or a leading '/', links out of the tree,
 * a file written through a symlink, devices, whiteouts, zero-filled giants.
 *
 *   mktar OUT none|gzip|zstd < SPEC
 *
 * One entry per SPEC line, fields split on single spaces:
 *   f NAME CONTENT...   regular file (mode 0644) holding CONTENT and "\n"
 *   z NAME BYTES        regular file of BYTES zero bytes, streamed
 *   d NAME              directory (0755)
 *   l NAME TARGET       symlink
 *   h NAME TARGET       hard link to TARGET
 *   c NAME              character device 1:3
 *   p NAME              fifo
 *   m NAME MODE         regular, empty, with octal MODE (setuid and all) */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static void die(const char *what, struct archive *ar)
{
  fprintf(stderr, "mktar: %s: %s\n", what,
          ar && archive_error_string(ar) ? archive_error_string(ar) : "");
  exit(1);
}

int main(int argc, char **argv)
{
  struct archive *ar;
  struct archive_entry *ae;
  static char line[1 << 16], zeros[1 << 16];
  if(argc != 3) {
    fprintf(stderr, "usage: mktar OUT none|gzip|zstd < SPEC\n");
    return 2;
  }
  ar = archive_write_new();
  archive_write_set_format_pax_restricted(ar);
  if(!strcmp(argv[2], "gzip"))
    archive_write_add_filter_gzip(ar);
  else if(!strcmp(argv[2], "zstd"))
    archive_write_add_filter_zstd(ar);
  if(archive_write_open_filename(ar, argv[1]) != ARCHIVE_OK)
    die(argv[1], ar);
  ae = archive_entry_new();
  while(fgets(line, sizeof(line), stdin)) {
    char *type, *name, *arg;
    line[strcspn(line, "\n")] = '\0';
    type = strtok(line, " ");
    name = strtok(NULL, " ");
    arg = strtok(NULL, "");
    if(!type || !name)
      continue;
    archive_entry_clear(ae);
    archive_entry_set_pathname(ae, name);
    archive_entry_set_mtime(ae, 0, 0);
    archive_entry_set_perm(ae, 0644);
    archive_entry_set_filetype(ae, AE_IFREG);
    switch(*type) {
    case 'f':
      archive_entry_set_size(ae, arg ? (la_int64_t)strlen(arg) + 1 : 1);
      break;
    case 'z':
      archive_entry_set_size(ae, arg ? atoll(arg) : 0);
      break;
    case 'd':
      archive_entry_set_filetype(ae, AE_IFDIR);
      archive_entry_set_perm(ae, 0755);
      break;
    case 'l':
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_symlink(ae, arg ? arg : "");
      break;
    case 'h':
      archive_entry_set_hardlink(ae, arg ? arg : "");
      break;
    case 'c':
      archive_entry_set_filetype(ae, AE_IFCHR);
      archive_entry_set_rdev(ae, makedev(1, 3));
      break;
    case 'p':
      archive_entry_set_filetype(ae, AE_IFIFO);
      break;
    case 'm':
      archive_entry_set_perm(ae, arg ? (mode_t)strtol(arg, NULL, 8) : 0);
      break;
    default:
      die("unknown entry type", NULL);
    }
    if(archive_write_header(ar, ae) != ARCHIVE_OK)
      die(name, ar);
    if(*type == 'f') {
      if(arg)
        archive_write_data(ar, arg, strlen(arg));
      archive_write_data(ar, "\n", 1);
    } else if(*type == 'z') {
      long long left = arg ? atoll(arg) : 0;
      while(left > 0) {
        size_t n = left > (long long)sizeof(zeros) ? sizeof(zeros)
                                                   : (size_t)left;
        if(archive_write_data(ar, zeros, n) < 0)
          die(name, ar);
        left -= (long long)n;
      }
    }
  }
  archive_entry_free(ae);
  if(archive_write_close(ar) != ARCHIVE_OK)
    die("close", ar);
  archive_write_free(ar);
  return 0;
}
