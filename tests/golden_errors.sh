#!/bin/sh
# golden_errors.sh - every error path, pinned: for each case under
# testdata/errors, `mdock parse` must print exactly NAME.expected on stderr
# (message, file:line:col, source line, caret, hint) and exit with the status
# recorded on its last line.  A case is NAME.Dockerfile, optionally with
# NAME.args (one extra argument per line); or NAME.args alone for
# dockerfile_commands lists.  MDK_UPDATE_GOLDEN=1 rewrites the expectations.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../testdata/errors" || exit 1
# outputs go to a directory of this run, never into testdata (two runs at
# once, normal and sanitized, must not see each other's files)
OUT=$(mktemp -d /tmp/mdock-golden-errors.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
pass=0
fail=0
for c in *.Dockerfile *.args; do
  name=${c%.*}
  case "$c" in
    *.args) [ -f "$name.Dockerfile" ] && continue ;;
  esac
  set --
  if [ -f "$name.args" ]; then
    while IFS= read -r a; do set -- "$@" "$a"; done < "$name.args"
  fi
  [ -f "$name.Dockerfile" ] && set -- "$@" "$name.Dockerfile"
  NO_COLOR=1 "$MDOCK" parse "$@" > /dev/null 2> "$OUT/$name.out"
  rc=$?
  echo "exit: $rc" >> "$OUT/$name.out"
  if [ "$rc" -ge 128 ]; then
    echo "CRASH $name (exit $rc)"
    fail=$((fail + 1))
  fi
  if [ "${MDK_UPDATE_GOLDEN:-0}" = 1 ]; then
    [ "$rc" -lt 128 ] && mv "$OUT/$name.out" "$name.expected"
    continue
  fi
  if cmp -s "$OUT/$name.out" "$name.expected"; then
    pass=$((pass + 1))
    rm -f "$OUT/$name.out"
  else
    fail=$((fail + 1))
    echo "FAIL $name"
    diff -u "$name.expected" "$OUT/$name.out" | head -20
    rm -f "$OUT/$name.out"
  fi
done
echo "error goldens: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
