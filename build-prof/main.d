build-prof/main.o: main.c frontend/frontend.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h base/fsutil.h cli/ir_context.h ir/ir.h ir/ops.def \
 cli/ir_load.h cli/lint_config.h frontend/lint.h frontend/frontend.h \
 frontend/lint_rules.def cli/lint_output.h base/jsonw.h cli/lint_run.h \
 cli/lint_output.h ir/ir.h
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
cli/ir_context.h:
ir/ir.h:
ir/ops.def:
cli/ir_load.h:
cli/lint_config.h:
frontend/lint.h:
frontend/frontend.h:
frontend/lint_rules.def:
cli/lint_output.h:
base/jsonw.h:
cli/lint_run.h:
cli/lint_output.h:
ir/ir.h:
