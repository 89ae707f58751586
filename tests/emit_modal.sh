#!/bin/sh
# emit_modal.sh - `mdock ir --emit modal` on real Dockerfiles
# (testdata/emit-modal/manifest.tsv, read from ../shared/corpus): the
# program is pinned (NAME.py), parses as Python, and round-trips: run with
# a stand-in modal module that writes the Dockerfile commands Modal's
# client writes for each method (tests/modal_recorder.py), it gives the
# same IR keys as the original, or differs first at a COPY that
# add_local_file/add_local_dir name differently (the documented
# difference: the same files, from a mount, under another name).
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${MDK_CORPUS:-$HERE/../shared/corpus}
corpus_or_skip emit_modal "$CORPUS" || exit 1
command -v python3 >/dev/null || { echo "emit_modal: python3 is missing (make deps)"; exit 1; }
W=/tmp/mdock-emit-$$
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
same=0
documented=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
keys() { "$MDOCK" ir --format json -f "$1" 2>/dev/null |
         jq -r '.stages[.target].ops[] | "\(.op) \(.key)"'; }
grep -v '^#' "$HERE/testdata/emit-modal/manifest.tsv" |
while IFS="$(printf '\t')" read -r name file why; do
  [ -n "$name" ] || continue
  # the corpus' files by their corpus path, this project's from the root
  case "$file" in
    testdata/*) cd "$HERE" || exit 1 ;;
    *) cd "$CORPUS" || exit 1 ;;
  esac
  exp="$HERE/testdata/emit-modal/$name.py"
  ctx=.
  case "$file" in testdata/*) ctx=$(dirname "$file") ;; esac
  "$MDOCK" ir -f "$file" --emit modal "$ctx" > "$W/$name.py" 2>"$W/err" ||
    { bad "$name" "mdock failed: $(head -3 "$W/err")"; continue; }
  if [ "${MDK_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$W/$name.py" "$exp"
  elif ! cmp -s "$W/$name.py" "$exp"; then
    bad "$name" "differs from its golden:"; diff -u "$exp" "$W/$name.py" | head -10
    continue
  fi
  python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' \
    "$W/$name.py" 2>"$W/err" || { bad "$name" "not Python: $(tail -1 "$W/err")"; continue; }
  python3 "$HERE/tests/modal_recorder.py" "$W/$name.py" > "$W/$name.Dockerfile" 2>"$W/err" ||
    { bad "$name" "the recorder failed: $(tail -2 "$W/err")"; continue; }
  keys "$file" > "$W/a"
  keys "$W/$name.Dockerfile" > "$W/b"
  [ -s "$W/a" ] || { bad "$name" "no IR for the original"; continue; }
  if cmp -s "$W/a" "$W/b"; then
    echo "same $name"
  else
    # the same steps, and the first difference a COPY the add_local_*
    # methods write under another name
    first=$(paste -d' ' "$W/a" "$W/b" | awk '$2 != $4 {print NR; exit}')
    kinds_a=$(awk '{print $1}' "$W/a" | tr '\n' ' ')
    kinds_b=$(awk '{print $1}' "$W/b" | tr '\n' ' ')
    kind=$(sed -n "${first}p" "$W/a" | awk '{print $1}')
    if [ "$kinds_a" = "$kinds_b" ] && [ "$kind" = copy ]; then
      echo "documented $name: same steps; keys differ from step $first, a COPY written by add_local_file/add_local_dir"
    else
      bad "$name" "IR differs at step $first ($kind): $(sed -n "${first}p" "$W/a") vs $(sed -n "${first}p" "$W/b")"
      continue
    fi
  fi
  echo "pass $name"
done > "$W/log"
cat "$W/log" | grep -v '^pass '
n=$(grep -c '^pass ' "$W/log")
s=$(grep -c '^same ' "$W/log")
dd=$(grep -c '^documented ' "$W/log")
f=$(grep -c '^FAIL' "$W/log")
echo "emit modal: $n programs pinned, parsed and replayed ($s with the same IR keys, $dd with a documented COPY difference), $f failed"
[ "$f" -eq 0 ] && [ "$n" -ge 15 ]
