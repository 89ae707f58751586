build-prof/cli/lint_output.o: cli/lint_output.c cli/lint_output.h \
 base/jsonw.h base/str.h base/arena.h base/status.h frontend/lint.h \
 frontend/frontend.h base/diag.h base/source.h frontend/ast.h \
 frontend/checkcfg.h frontend/instructions.def frontend/commands.h \
 frontend/shlex.h frontend/expand.h frontend/lint_rules.def base/sha256.h \
 base/utf8.h
cli/lint_output.h:
base/jsonw.h:
base/str.h:
base/arena.h:
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
base/sha256.h:
base/utf8.h:
