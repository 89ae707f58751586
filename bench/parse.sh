#!/bin/sh
# parse.sh - parse every Dockerfile of ../shared/corpus/real in one process,
# with mdock and with the npm dockerfile-ast parser in the same run; prints
# files/s, MB/s (whole process, start-up included, best of N runs) and mdock's
# peak RSS.  dockerfile-ast is installed into bench/node_modules (not
# committed).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${MDK_CORPUS:-$ROOT/../shared/corpus}
. "$ROOT/tests/lib.sh"
corpus_or_skip "$(basename "$0")" "$CORPUS" || exit 0
MDOCK=${MDOCK:-$ROOT/build/mdock}
RUNS=${RUNS:-10}

[ -x "$MDOCK" ] || make -C "$ROOT" all >/dev/null
command -v node >/dev/null || sh "$ROOT/tools/deps.sh" bench
if [ ! -d "$HERE/node_modules/dockerfile-ast" ]; then
  (cd "$HERE" && npm install --silent --no-audit --no-fund --no-save \
     dockerfile-ast@0.6.1 >/dev/null)
fi

LIST=$(mktemp)
trap 'rm -f "$LIST"' EXIT
cut -f1 "$CORPUS/real/MANIFEST.tsv" | tail -n +2 | sed "s|^|$CORPUS/|" > "$LIST"
NFILES=$(wc -l < "$LIST")
BYTES=$(xargs cat < "$LIST" | wc -c)

cat > "$HERE/peer.js" <<'JS'
// Parses every file named on stdin with dockerfile-ast, in one process.
const fs = require('fs');
const { DockerfileParser } = require('dockerfile-ast');
const files = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
let n = 0;
for (const f of files) {
  const df = DockerfileParser.parse(fs.readFileSync(f, 'utf8'));
  n += df.getInstructions().length;
}
process.stdout.write(n + '\n');
JS

now_ns() { date +%s%N; }
best() {   # best wall time in ns of RUNS runs of "$@"
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
run_mdock() { xargs "$MDOCK" parse -q --format buildkit < "$LIST"; }
run_mdock_full() { xargs "$MDOCK" parse -q < "$LIST" || true; }
run_peer() { node "$HERE/peer.js" < "$LIST"; }

# one process each: xargs must not split the list
[ "$(xargs -x -s 2000000 echo < "$LIST" | wc -l)" -eq 1 ]

T_M=$(best run_mdock)
T_F=$(best run_mdock_full)
T_P=$(best run_peer)
RSS=$( (command -v /usr/bin/time >/dev/null &&
        xargs /usr/bin/time -f %M "$MDOCK" parse -q < "$LIST" 2>&1 >/dev/null |
        tail -1) || echo "?")

awk -v n="$NFILES" -v b="$BYTES" -v m="$T_M" -v f="$T_F" -v p="$T_P" \
    -v rss="$RSS" 'BEGIN {
  printf "corpus: %d files, %.2f MB; best of %s runs, whole process\n\n", n, b/1e6, ENVIRON["RUNS"] ? ENVIRON["RUNS"] : 10
  printf "| parser | time | files/s | MB/s | vs dockerfile-ast |\n|---|---|---|---|---|\n"
  printf "| mdock parse (parser) | %.1f ms | %.0f | %.1f | %.1fx |\n", m/1e6, n/(m/1e9), b/1e6/(m/1e9), p/m
  printf "| mdock parse (full: typing + expansion) | %.1f ms | %.0f | %.1f | %.1fx |\n", f/1e6, n/(f/1e9), b/1e6/(f/1e9), p/f
  printf "| dockerfile-ast 0.6.1 (node) | %.1f ms | %.0f | %.1f | 1.0x |\n", p/1e6, n/(p/1e9), b/1e6/(p/1e9)
  printf "\nmdock peak RSS (full checks, whole corpus): %s KB\n", rss
}'
