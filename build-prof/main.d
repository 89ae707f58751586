build-prof/main.o: main.c frontend/frontend.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h base/fsutil.h cli/base_env.h backend/store.h \
 base/sha256.h frontend/frontend.h cli/ir_context.h ir/ir.h ir/ops.def \
 cli/ir_load.h cli/lint_config.h frontend/lint.h frontend/lint_rules.def \
 cli/lint_output.h base/jsonw.h cli/lint_run.h cli/lint_output.h \
 cli/store_cmds.h backend/build.h backend/image.h backend/layer.h \
 backend/compress.h backend/output.h ir/ir.h
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
base/fsutil.h:
cli/base_env.h:
backend/store.h:
base/sha256.h:
frontend/frontend.h:
cli/ir_context.h:
ir/ir.h:
ir/ops.def:
cli/ir_load.h:
cli/lint_config.h:
frontend/lint.h:
frontend/lint_rules.def:
cli/lint_output.h:
base/jsonw.h:
cli/lint_run.h:
cli/lint_output.h:
cli/store_cmds.h:
backend/build.h:
backend/image.h:
backend/layer.h:
backend/compress.h:
backend/output.h:
ir/ir.h:
