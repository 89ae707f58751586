build-prof/frontend/lint_modal.o: frontend/lint_modal.c \
 frontend/lint_internal.h base/dockerignore.h base/arena.h base/str.h \
 base/status.h frontend/lint.h frontend/frontend.h base/diag.h \
 base/source.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h frontend/lint_rules.def frontend/shell_words.h
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
frontend/shell_words.h:
