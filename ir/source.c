/* source.c - what kind of source a COPY/ADD source is: the one answer the
 * frontend's checks, the IR, the keys, lint and the executor all use.
 * BuildKit's dockerfile2llb asks, in order: a git reference
 * (gitutil.ParseGitRef: git:// or ssh://, user@host:path, or an http(s)
 * URL whose path ends in .git, "#ref:subdir" aside; "github.com/..." is
 * indistinguishable from a local path and stays one), then an http(s) URL,
 * else a path in the context.  mdock's IR writes a heredoc source as
 * "<<NAME". */
#include "ir/ir.h"

#include <string.h>
#include <strings.h>

static bool prefix_ci(struct mdk_str s, const char *p)
{
  size_t n = strlen(p);
  return s.len >= n && strncasecmp(s.ptr, p, n) == 0;
}

/* user@host:path (scp style, as sshutil.ParseSCPStyleURL) */
static bool scp_style(struct mdk_str s)
{
  size_t i = 0, at, colon;
  while(i < s.len && (mdk_ascii_is_alnum(s.ptr[i]) || s.ptr[i] == '-' ||
                      s.ptr[i] == '_'))
    i++;
  if(i == 0 || i >= s.len || s.ptr[i] != '@')
    return false;
  at = i++;
  while(i < s.len && (mdk_ascii_is_alnum(s.ptr[i]) || s.ptr[i] == '-' ||
                      s.ptr[i] == '.'))
    i++;
  colon = i;
  return colon > at + 1 && colon < s.len && s.ptr[colon] == ':';
}

/* an http(s) URL is a git reference when its path ends in .git */
static bool http_git(struct mdk_str s)
{
  size_t end = s.len, i;
  for(i = 0; i < s.len; i++)
    if(s.ptr[i] == '#' || s.ptr[i] == '?') {
      end = i;
      break;
    }
  return end >= 4 && strncmp(s.ptr + end - 4, ".git", 4) == 0;
}

enum mdk_ir_src mdk_ir_source_kind(struct mdk_str s)
{
  /* ParseGitRef lower-cases the scheme; isHTTPSource does not */
  if(mdk_str_has_prefix(s, "<<"))
    return MDK_IR_SRC_HEREDOC;
  if(prefix_ci(s, "git://") || prefix_ci(s, "ssh://") || scp_style(s) ||
     ((prefix_ci(s, "http://") || prefix_ci(s, "https://")) && http_git(s)))
    return MDK_IR_SRC_GIT;
  if(mdk_str_has_prefix(s, "http://") || mdk_str_has_prefix(s, "https://"))
    return MDK_IR_SRC_HTTP;
  return MDK_IR_SRC_CONTEXT;
}

const char *mdk_ir_source_kind_name(enum mdk_ir_src k)
{
  static const char *const names[] = {"context", "http", "git", "heredoc"};
  return (unsigned)k < 4 ? names[k] : "?";
}
