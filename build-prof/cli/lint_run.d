build-prof/cli/lint_run.o: cli/lint_run.c cli/lint_run.h base/arena.h \
 cli/lint_output.h base/jsonw.h base/str.h base/status.h frontend/lint.h \
 frontend/frontend.h base/diag.h base/source.h frontend/ast.h \
 frontend/checkcfg.h frontend/instructions.def frontend/commands.h \
 frontend/shlex.h frontend/expand.h frontend/lint_rules.def \
 cli/lint_config.h
cli/lint_run.h:
base/arena.h:
cli/lint_output.h:
base/jsonw.h:
base/str.h:
base/status.h:
frontend/lint.h:
frontend/frontend.h:
base/diag.h:
base/source.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/commands.h:
frontend/shlex.h:
frontend/expand.h:
frontend/lint_rules.def:
cli/lint_config.h:
