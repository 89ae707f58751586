/* pragma.h - hadolint's comment pragmas, read from the source lines as
 * hadolint reads them: `# hadolint ignore=DL3008,SC2086` ignores those
 * rules on the line right below, `# hadolint global ignore=...` everywhere,
 * `# hadolint shell=pwsh` sets the shell RUN scripts are read as from that
 * line on. */
#ifndef MDK_LINT_PRAGMA_H
#define MDK_LINT_PRAGMA_H

#include "base/base.h"

enum mdk_lint_pragma_kind { MDK_PRAGMA_IGNORE, MDK_PRAGMA_GLOBAL,
                            MDK_PRAGMA_SHELL };

struct mdk_lint_pragma {
  enum mdk_lint_pragma_kind kind;
  uint32_t line;                /* 1-based line of the comment */
  struct mdk_str value;         /* the rule list, or the shell */
  struct mdk_loc loc;           /* the comment */
};

struct mdk_lint_pragmas {
  struct mdk_lint_pragma *p;
  size_t n;
};

void mdk_lint_pragmas_scan(struct mdk_arena *a, const struct mdk_source *src,
                           struct mdk_lint_pragmas *out);
/* Whether a comma-separated rule list names id (or alias, when set). */
bool mdk_lint_list_has(struct mdk_str list, const char *id,
                       const char *alias);
/* Whether rule (id, alias) is ignored on line by an ignore pragma right
 * above it or a global one. */
bool mdk_lint_pragma_ignores(const struct mdk_lint_pragmas *ps, uint32_t line,
                             const char *id, const char *alias);
/* The shell a `# hadolint shell=` pragma above line sets, or NULL str. */
struct mdk_str mdk_lint_pragma_shell(const struct mdk_lint_pragmas *ps,
                                     uint32_t line);

#endif
