#include "frontend/lint_internal.h"
void mdk_fe_lint_modal(struct lint *l) { (void)l; }
