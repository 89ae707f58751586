#!/bin/bash
# lint.sh - lint every Dockerfile of ../shared/corpus/real in one process
# with mdock and, in the same run, with the npm linters dockerfilelint and
# dockerfile-utils (installed into bench/node_modules, not committed); best
# of RUNS interleaved rounds, whole process included.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${MDK_CORPUS:-$ROOT/../shared/corpus}
. "$ROOT/tests/lib.sh"
corpus_or_skip "$(basename "$0")" "$CORPUS" || exit 0
MDOCK=${MDOCK:-$ROOT/build/mdock}
# 21 rounds: this 2-CPU VM's speed moves by 15-25% from one minute to the
# next (both tools', a two-thread run's more), and 11 best-of rounds often
# missed either tool's floor
RUNS=${RUNS:-21}

[ -x "$MDOCK" ] || make -C "$ROOT" all >/dev/null
command -v node >/dev/null || sh "$ROOT/tools/deps.sh" bench
if [ ! -d "$HERE/node_modules/dockerfilelint" ] ||
   [ ! -d "$HERE/node_modules/dockerfile-utils" ]; then
  (cd "$HERE" && npm install --silent --no-audit --no-fund --no-save \
     dockerfilelint@1.8.0 dockerfile-utils@0.16.1 dockerfile-ast@0.6.1 \
     >/dev/null)
fi
LIST=$(mktemp)
trap 'rm -f "$LIST"' EXIT
cut -f1 "$CORPUS/real/MANIFEST.tsv" | tail -n +2 | sed "s|^|$CORPUS/|" > "$LIST"
NFILES=$(wc -l < "$LIST")

cat > "$HERE/peer-lint.js" <<'JS'
// Lints every file named on stdin with one npm linter, in one process.
const fs = require('fs');
const which = process.argv[2];
const files = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
let n = 0;
if (which === 'dockerfilelint') {
  const dfl = require('dockerfilelint');
  for (const f of files) n += dfl.run(require("path").dirname(f), fs.readFileSync(f, "utf8")).length;
} else {
  const du = require('dockerfile-utils');
  for (const f of files) n += du.validate(fs.readFileSync(f, 'utf8')).length;
}
process.stdout.write(n + '\n');
JS

# The clock is bash's EPOCHREALTIME, read without a process: `date` for a
# timestamp forks and execs inside the measured time (1.3 ms on this
# machine, 7% of mdock's run and 0.4% of the peers').
elapsed() {   # runs "$@"; D is its wall time in ns
  local t0 t1
  t0=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>&1 || true
  t1=${EPOCHREALTIME/./}
  D=$(( (t1 - t0) * 1000 ))
}
# Every linter gets the file list the same way: on standard input, read by
# the one process (mdock's --files-from -, node's fs.readFileSync(0)).
# Given as 719 arguments instead (xargs), the kernel's copying of a 64 KB
# argument list into a new process costs about 2 ms on this machine
# (/bin/true with those arguments: 2.8-4.0 ms, without: 0.9-1.3 ms), which
# the node linters, reading the list, never pay: measured as its own row.
run_mdock() { "$MDOCK" lint --no-shellcheck --format json --files-from - < "$LIST"; }
run_mdock_args() { xargs "$MDOCK" lint --no-shellcheck --format json < "$LIST"; }
run_mdock_sc() { "$MDOCK" lint --shellcheck --format json --files-from - < "$LIST"; }
run_dfl() { (cd "$HERE" && node peer-lint.js dockerfilelint < "$LIST"); }
run_du() { (cd "$HERE" && node peer-lint.js dockerfile-utils < "$LIST"); }
# The linters take turns within every round, so a slow spell of the
# machine slows all of them rather than one; each keeps its best round.
T_M=0; T_A=0; T_L=0; T_U=0
i=0
while [ $i -lt "$RUNS" ]; do
  elapsed run_mdock; { [ $T_M -eq 0 ] || [ "$D" -lt $T_M ]; } && T_M=$D
  elapsed run_mdock_args; { [ $T_A -eq 0 ] || [ "$D" -lt $T_A ]; } && T_A=$D
  elapsed run_dfl; { [ $T_L -eq 0 ] || [ "$D" -lt $T_L ]; } && T_L=$D
  elapsed run_du; { [ $T_U -eq 0 ] || [ "$D" -lt $T_U ]; } && T_U=$D
  i=$((i + 1))
done
# With ShellCheck (a few runs: it dominates), and how many shellcheck
# processes one run starts: a wrapper on PATH counts them.
T_S=0; i=0
while [ $i -lt "${SC_RUNS:-3}" ]; do
  elapsed run_mdock_sc; { [ $T_S -eq 0 ] || [ "$D" -lt $T_S ]; } && T_S=$D
  i=$((i + 1))
done
NSC=0
if command -v shellcheck >/dev/null; then
  W=$(mktemp -d)
  REAL=$(command -v shellcheck)
  printf '#!/bin/sh\necho x >> "%s/count"\nexec "%s" "$@"\n' "$W" "$REAL" > "$W/shellcheck"
  chmod +x "$W/shellcheck"
  PATH="$W:$PATH" run_mdock_sc >/dev/null 2>&1 || true
  NSC=$(cat "$W/count" 2>/dev/null | wc -l)
  rm -rf "$W"
fi
awk -v n="$NFILES" -v m="$T_M" -v a="$T_A" -v l="$T_L" -v u="$T_U" -v r="$RUNS" \
    -v s="$T_S" -v nsc="$NSC" 'BEGIN {
  printf "corpus: %d files; best of %d runs, whole process\n\n", n, r
  printf "| linter | time | files/s | mdock is |\n|---|---|---|---|\n"
  printf "| mdock lint (all rule sets, json, no ShellCheck; names on stdin, as the peers) | %.1f ms | %.0f | - |\n", m/1e6, n/(m/1e9)
  printf "| the same, the names as %d arguments (xargs) | %.1f ms | %.0f | %.2fx the time |\n", n, a/1e6, n/(a/1e9), a/m
  printf "| mdock lint --shellcheck (%d shellcheck processes) | %.1f ms | %.0f | %.1fx the time |\n", nsc, s/1e6, n/(s/1e9), s/m
  printf "| dockerfilelint 1.8.0 (node) | %.1f ms | %.0f | %.1fx faster |\n", l/1e6, n/(l/1e9), l/m
  printf "| dockerfile-utils 0.16.1 (node) | %.1f ms | %.0f | %.1fx faster |\n", u/1e6, n/(u/1e9), u/m
}'
