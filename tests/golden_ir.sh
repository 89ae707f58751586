#!/bin/sh
# golden_ir.sh - the text IR of every case under testdata/ir, pinned: for
# each CASE/, `mdock ir -f CASE/Dockerfile $(CASE/args)` must print exactly
# CASE/expected.txt (keys included: a change to the key encoding shows here)
# and its JSON form must validate against docs/ir-schema.json (checked by
# tests/test_ir.c).  MDK_UPDATE_GOLDEN=1 rewrites the expectations.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# hermetic: no local store, so base images stay unknown (and marked)
export MDOCK_ROOT=/nonexistent/mdock-golden
CHECK_SCHEMA=""
[ -n "${2:-}" ] && CHECK_SCHEMA=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
SCHEMA=$(cd "$(dirname "$0")/.." && pwd)/docs/ir-schema.json
schema_ok=0
cd "$(dirname "$0")/../testdata/ir" || exit 1
# outputs go to a directory of this run, never into testdata
OUT=$(mktemp -d /tmp/mdock-golden-ir.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
pass=0
fail=0
for d in */; do
  name=${d%/}
  set --
  if [ -f "$name/args" ]; then
    while IFS= read -r a; do set -- "$@" "$a"; done < "$name/args"
  fi
  [ -f "$name/Dockerfile" ] && set -- "$@" -f "$name/Dockerfile"
  NO_COLOR=1 "$MDOCK" ir "$@" > "$OUT/$name.out" 2>&1
  rc=$?
  echo "exit: $rc" >> "$OUT/$name.out"
  if [ "$rc" -ge 128 ]; then
    echo "CRASH $name (exit $rc)"
    fail=$((fail + 1))
    rm -f "$OUT/$name.out"
    continue
  fi
  if [ "${MDK_UPDATE_GOLDEN:-0}" = 1 ]; then
    mv "$OUT/$name.out" "$name/expected.txt"
    continue
  fi
  if [ -n "$CHECK_SCHEMA" ] && [ "$rc" -eq 0 ]; then
    if NO_COLOR=1 "$MDOCK" ir --format json "$@" 2>/dev/null |
       "$CHECK_SCHEMA" "$SCHEMA"; then
      schema_ok=$((schema_ok + 1))
    else
      echo "FAIL $name: JSON does not validate against docs/ir-schema.json"
      fail=$((fail + 1))
    fi
  fi
  if cmp -s "$OUT/$name.out" "$name/expected.txt"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name"
    diff -u "$name/expected.txt" "$OUT/$name.out" | head -20
  fi
  rm -f "$OUT/$name.out"
done
# mdock ir --diff OLD NEW: why NEW would rebuild
cd ../ir-diff || exit 1
for d in */; do
  name=${d%/}
  NO_COLOR=1 "$MDOCK" ir --diff "$name/old" "$name/new" > "$OUT/$name.out" 2>&1
  echo "exit: $?" >> "$OUT/$name.out"
  if [ "${MDK_UPDATE_GOLDEN:-0}" = 1 ]; then
    mv "$OUT/$name.out" "$name/expected.txt"
    continue
  fi
  if cmp -s "$OUT/$name.out" "$name/expected.txt"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL ir-diff/$name"
    diff -u "$name/expected.txt" "$OUT/$name.out" | head -20
  fi
  rm -f "$OUT/$name.out"
done
echo "ir goldens: $pass passed, $fail failed; $schema_ok JSON documents valid against docs/ir-schema.json"
[ "$fail" -eq 0 ]
