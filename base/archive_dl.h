/* archive_dl.h - libarchive loaded when a command first reads or writes a
 * tar (dlopen): linked, it costs every mdock process ~4 ms of start-up (its
 * 14 shared libraries), which parse, ir and lint never use.  Include this
 * after <archive.h> and <archive_entry.h>: the archive_* calls of the file
 * go through the loaded library.  The functions are listed once, in
 * archive_syms.def. */
#ifndef MDK_BE_ARCHIVE_DL_H
#define MDK_BE_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>

struct mdk_archive {
  bool ok;                      /* every function was found */
#define X(name) __typeof__(name) *name;
#include "base/archive_syms.def"
#undef X
};

/* Never NULL; ok false when libarchive cannot be loaded (archive_*_new
 * then return NULL and the callers say so). */
const struct mdk_archive *mdk_archive(void);

#ifndef MDK_ARCHIVE_DL_NO_MACROS
/* every call goes through the table (a macro does not expand itself
 * again, so the field names stay as they are) */
#define archive_entry_clear(...) (mdk_archive()->archive_entry_clear(__VA_ARGS__))
#define archive_entry_filetype(...) (mdk_archive()->archive_entry_filetype(__VA_ARGS__))
#define archive_entry_free(...) (mdk_archive()->archive_entry_free(__VA_ARGS__))
#define archive_entry_gid(...) (mdk_archive()->archive_entry_gid(__VA_ARGS__))
#define archive_entry_hardlink(...) (mdk_archive()->archive_entry_hardlink(__VA_ARGS__))
#define archive_entry_mtime(...) (mdk_archive()->archive_entry_mtime(__VA_ARGS__))
#define archive_entry_new(...) (mdk_archive()->archive_entry_new(__VA_ARGS__))
#define archive_entry_pathname(...) (mdk_archive()->archive_entry_pathname(__VA_ARGS__))
#define archive_entry_perm(...) (mdk_archive()->archive_entry_perm(__VA_ARGS__))
#define archive_entry_rdev(...) (mdk_archive()->archive_entry_rdev(__VA_ARGS__))
#define archive_entry_set_filetype(...) (mdk_archive()->archive_entry_set_filetype(__VA_ARGS__))
#define archive_entry_set_gid(...) (mdk_archive()->archive_entry_set_gid(__VA_ARGS__))
#define archive_entry_set_hardlink(...) (mdk_archive()->archive_entry_set_hardlink(__VA_ARGS__))
#define archive_entry_set_mtime(...) (mdk_archive()->archive_entry_set_mtime(__VA_ARGS__))
#define archive_entry_set_pathname(...) (mdk_archive()->archive_entry_set_pathname(__VA_ARGS__))
#define archive_entry_set_perm(...) (mdk_archive()->archive_entry_set_perm(__VA_ARGS__))
#define archive_entry_set_rdev(...) (mdk_archive()->archive_entry_set_rdev(__VA_ARGS__))
#define archive_entry_set_size(...) (mdk_archive()->archive_entry_set_size(__VA_ARGS__))
#define archive_entry_set_symlink(...) (mdk_archive()->archive_entry_set_symlink(__VA_ARGS__))
#define archive_entry_set_uid(...) (mdk_archive()->archive_entry_set_uid(__VA_ARGS__))
#define archive_entry_size(...) (mdk_archive()->archive_entry_size(__VA_ARGS__))
#define archive_entry_symlink(...) (mdk_archive()->archive_entry_symlink(__VA_ARGS__))
#define archive_entry_uid(...) (mdk_archive()->archive_entry_uid(__VA_ARGS__))
#define archive_entry_xattr_add_entry(...) (mdk_archive()->archive_entry_xattr_add_entry(__VA_ARGS__))
#define archive_entry_xattr_next(...) (mdk_archive()->archive_entry_xattr_next(__VA_ARGS__))
#define archive_entry_xattr_reset(...) (mdk_archive()->archive_entry_xattr_reset(__VA_ARGS__))
#define archive_error_string(...) (mdk_archive()->archive_error_string(__VA_ARGS__))
#define archive_filter_bytes(...) (mdk_archive()->archive_filter_bytes(__VA_ARGS__))
#define archive_read_data_block(...) (mdk_archive()->archive_read_data_block(__VA_ARGS__))
#define archive_read_free(...) (mdk_archive()->archive_read_free(__VA_ARGS__))
#define archive_read_new(...) (mdk_archive()->archive_read_new(__VA_ARGS__))
#define archive_read_next_header(...) (mdk_archive()->archive_read_next_header(__VA_ARGS__))
#define archive_read_open(...) (mdk_archive()->archive_read_open(__VA_ARGS__))
#define archive_read_open_fd(...) (mdk_archive()->archive_read_open_fd(__VA_ARGS__))
#define archive_read_support_filter_all(...) (mdk_archive()->archive_read_support_filter_all(__VA_ARGS__))
#define archive_read_support_format_tar(...) (mdk_archive()->archive_read_support_format_tar(__VA_ARGS__))
#define archive_write_close(...) (mdk_archive()->archive_write_close(__VA_ARGS__))
#define archive_write_data(...) (mdk_archive()->archive_write_data(__VA_ARGS__))
#define archive_write_free(...) (mdk_archive()->archive_write_free(__VA_ARGS__))
#define archive_write_header(...) (mdk_archive()->archive_write_header(__VA_ARGS__))
#define archive_write_new(...) (mdk_archive()->archive_write_new(__VA_ARGS__))
#define archive_write_open2(...) (mdk_archive()->archive_write_open2(__VA_ARGS__))
#define archive_write_open_filename(...) (mdk_archive()->archive_write_open_filename(__VA_ARGS__))
#define archive_write_open_fd(...) (mdk_archive()->archive_write_open_fd(__VA_ARGS__))
#define archive_write_set_bytes_in_last_block(...) (mdk_archive()->archive_write_set_bytes_in_last_block(__VA_ARGS__))
#define archive_write_set_bytes_per_block(...) (mdk_archive()->archive_write_set_bytes_per_block(__VA_ARGS__))
#define archive_write_set_format_pax_restricted(...) (mdk_archive()->archive_write_set_format_pax_restricted(__VA_ARGS__))

#endif
#endif
