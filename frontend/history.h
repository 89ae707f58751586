/* history.h - the text BuildKit writes for an instruction: the image
 * history's created_by (dockerfile2llb's commitToHistory messages, Go's
 * %q / %v / time.Duration formats included) and the step's progress name
 * (its custom name without the [NAME k/N] prefix). */
#ifndef MDK_FE_HISTORY_H
#define MDK_FE_HISTORY_H

#include "base/base.h"

/* ["a" "b"]: Go's %q of a []string */
char *mdk_fe_go_quoted(struct mdk_arena *a, const struct mdk_str *v, size_t n);
/* [a b]: Go's %v of a []string */
char *mdk_fe_go_list(struct mdk_arena *a, const struct mdk_str *v, size_t n);
/* Go's time.Duration String() of ns: "0s", "1.5s", "1m30s", "500ms" */
char *mdk_fe_go_duration(struct mdk_arena *a, int64_t ns);
/* BuildKit's summarizeHeredoc: the first line, "..." when there are more */
char *mdk_fe_heredoc_summary(struct mdk_arena *a, struct mdk_str doc);

#endif
