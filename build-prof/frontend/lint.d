build-prof/frontend/lint.o: frontend/lint.c frontend/lint.h \
 frontend/frontend.h base/diag.h base/source.h base/arena.h base/status.h \
 base/str.h frontend/ast.h frontend/checkcfg.h frontend/instructions.def \
 frontend/commands.h frontend/shlex.h frontend/expand.h \
 frontend/lint_rules.def frontend/lint_internal.h base/dockerignore.h
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
frontend/lint_internal.h:
base/dockerignore.h:
