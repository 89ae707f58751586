#!/bin/sh
# runtime_runc.sh - the same RUN cases built with the embedded runtime and
# with --runtime runc (a generated OCI bundle) give the same root
# filesystems and configs.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
command -v runc >/dev/null || { echo "runtime runc: runc is missing (make deps)"; exit 1; }
WORK=$(mktemp -d /tmp/mdock-runc.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export SOURCE_DATE_EPOCH=1700000000
fail=0
pass=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
BB="$WORK/busybox"
busybox_context "$BB"
for st in emb runc; do
  (cd "$BB" && MDOCK_ROOT="$WORK/$st" "$MDOCK" build -q -t busybox:test . >/dev/null) || exit 1
done
for name in run-basic run-whiteout run-user run-heredoc run-env-arg run-shell \
            run-workdir run-groups run-supplementary-groups run-symlinks \
            run-mounts; do
  c="$HERE/testdata/build/$name"
  ok=1
  set --
  [ -f "$c/build.secret" ] && set -- --secret "$(cat "$c/build.secret")"
  export MDOCK_E2E_SECRET=e2e-secret-value
  for st in emb runc; do
    rt=embedded
    [ $st = runc ] && rt=runc
    if ! (cd "$c/ctx" && MDOCK_ROOT="$WORK/$st" "$MDOCK" build -q --runtime $rt "$@" -t x . >/dev/null 2>"$WORK/err"); then
      bad "$name" "$rt build: $(tail -3 "$WORK/err")"
      ok=0
      continue
    fi
    rm -rf "$WORK/root-$st"
    MDOCK_ROOT="$WORK/$st" "$MDOCK" export x --output "type=local,dest=$WORK/root-$st"
    tree_listing "$WORK/root-$st" > "$WORK/l-$st"
    MDOCK_ROOT="$WORK/$st" "$MDOCK" inspect --format config x > "$WORK/c-$st"
  done
  [ $ok = 1 ] || continue
  if ! diff -u "$WORK/l-emb" "$WORK/l-runc" > "$WORK/d" || ! cmp -s "$WORK/c-emb" "$WORK/c-runc"; then
    bad "$name" "runc and the embedded runtime differ:"; head -12 "$WORK/d"
  else
    pass=$((pass + 1))
  fi
done
# RUN --mount=type=bind,rw writes in the step only: the context is as it was
[ "$(cat "$HERE/testdata/build/run-mounts/ctx/src/a")" = ctxfile ] ||
  bad run-mounts "an rw bind mount changed the build context"
echo "runtime runc: $pass cases the same as the embedded runtime, $fail failed"
[ $fail -eq 0 ] && [ $pass -ge 10 ]
