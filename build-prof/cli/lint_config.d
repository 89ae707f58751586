build-prof/cli/lint_config.o: cli/lint_config.c cli/lint_config.h \
 frontend/lint.h frontend/frontend.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h frontend/lint_rules.def
cli/lint_config.h:
frontend/lint.h:
frontend/frontend.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/commands.h:
frontend/shlex.h:
frontend/expand.h:
frontend/lint_rules.def:
