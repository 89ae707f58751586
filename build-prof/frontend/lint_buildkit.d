build-prof/frontend/lint_buildkit.o: frontend/lint_buildkit.c \
 frontend/lint_internal.h base/dockerignore.h base/arena.h base/str.h \
 base/status.h frontend/lint.h frontend/frontend.h base/diag.h \
 base/source.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h frontend/lint_rules.def frontend/validate.h
frontend/lint_internal.h:
base/dockerignore.h:
base/arena.h:
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
frontend/validate.h:
