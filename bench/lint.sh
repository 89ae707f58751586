#!/bin/sh
# lint.sh - lint every Dockerfile of ../shared/corpus/real in one process
# with mdock and, in the same run, with the npm linters dockerfilelint and
# dockerfile-utils (installed into bench/node_modules, not committed); best
# of N runs, whole process included.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${MDK_CORPUS:-$ROOT/../shared/corpus}
MDOCK=${MDOCK:-$ROOT/build/mdock}
RUNS=${RUNS:-5}

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

now_ns() { date +%s%N; }
best() {
  b=0
  i=0
  while [ $i -lt "$RUNS" ]; do
    t0=$(now_ns)
    "$@" >/dev/null 2>&1 || true
    t1=$(now_ns)
    d=$((t1 - t0))
    if [ $b -eq 0 ] || [ $d -lt $b ]; then b=$d; fi
    i=$((i + 1))
  done
  echo $b
}
run_mdock() { xargs "$MDOCK" lint --format json < "$LIST"; }
run_dfl() { (cd "$HERE" && node peer-lint.js dockerfilelint < "$LIST"); }
run_du() { (cd "$HERE" && node peer-lint.js dockerfile-utils < "$LIST"); }
T_M=$(best run_mdock)
T_L=$(best run_dfl)
T_U=$(best run_du)
awk -v n="$NFILES" -v m="$T_M" -v l="$T_L" -v u="$T_U" -v r="$RUNS" 'BEGIN {
  printf "corpus: %d files; best of %d runs, whole process\n\n", n, r
  printf "| linter | time | files/s | mdock is |\n|---|---|---|---|\n"
  printf "| mdock lint (all rule sets, json) | %.1f ms | %.0f | - |\n", m/1e6, n/(m/1e9)
  printf "| dockerfilelint 1.8.0 (node) | %.1f ms | %.0f | %.1fx faster |\n", l/1e6, n/(l/1e9), l/m
  printf "| dockerfile-utils 0.16.1 (node) | %.1f ms | %.0f | %.1fx faster |\n", u/1e6, n/(u/1e9), u/m
}'
