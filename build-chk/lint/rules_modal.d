build-chk/lint/rules_modal.o: lint/rules_modal.c lint/internal.h \
 base/base.h base/arena.h base/diag.h base/source.h base/status.h \
 base/str.h base/dockerignore.h base/err.h base/fsutil.h base/inroot.h \
 base/jsonw.h base/limits.h base/sha256.h base/utf8.h ir/ir.h ir/ops.def \
 ir/fields.def lint/engine.h frontend/frontend.h frontend/ast.h \
 frontend/checkcfg.h frontend/instructions.def frontend/commands.h \
 frontend/shlex.h frontend/expand.h frontend/stage_ref.h \
 frontend/validate.h lint/rules.def lint/shell_words.h
lint/internal.h:
base/base.h:
base/arena.h:
base/diag.h:
base/source.h:
base/status.h:
base/str.h:
base/dockerignore.h:
base/err.h:
base/fsutil.h:
base/inroot.h:
base/jsonw.h:
base/limits.h:
base/sha256.h:
base/utf8.h:
ir/ir.h:
ir/ops.def:
ir/fields.def:
lint/engine.h:
frontend/frontend.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/commands.h:
frontend/shlex.h:
frontend/expand.h:
frontend/stage_ref.h:
frontend/validate.h:
lint/rules.def:
lint/shell_words.h:
