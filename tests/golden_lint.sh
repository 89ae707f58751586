#!/bin/sh
# golden_lint.sh - testdata/lint: every rule has a case that fires and one
# that stays silent (RULE-fires, RULE-silent; modal-*-fires/-silent for the
# ENTRYPOINT checks).  Each case directory is also the build context.  The
# tty output and exit status are pinned in expected.txt, and independently
# of the pin a -fires case must report [RULE] and a -silent case must not.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../testdata/lint" || exit 1
pass=0
fail=0
for d in */; do
  name=${d%/}
  rule=${name%-*}
  kind=${name##*-}
  set --
  if [ -f "$name/args" ]; then
    while IFS= read -r a; do set -- "$@" "$a"; done < "$name/args"
  fi
  # ShellCheck's findings only where a case asks for them (--shellcheck)
  case " $* " in
    *" --shellcheck "*) ;;
    *) set -- --no-shellcheck "$@" ;;
  esac
  out=$( cd "$name" && NO_COLOR=1 "$MDOCK" lint --no-color "$@" Dockerfile 2>&1;
         echo "exit: $?" )
  # a rule shows as [ID], [ID/DLxxxx] (its hadolint alias) or [SCxxxx];
  # a case is named by either name, and may carry a suffix after a dot
  # (MD004.onbuild-fires)
  rule=${rule%%.*}
  case "$rule" in
    modal-*) tag='\[MDM' ;;
    *) tag="\[($rule(/[A-Z0-9]+)?|[A-Za-z0-9]+/$rule)\]" ;;
  esac
  ok=1
  case "$kind" in
    fires) printf '%s' "$out" | grep -qE "$tag" || ok=0 ;;
    silent) printf '%s' "$out" | grep -qE "$tag" && ok=0 ;;
  esac
  if [ "$ok" = 0 ]; then
    echo "FAIL $name: $tag expected to $( [ "$kind" = fires ] && echo fire || echo stay silent )"
    printf '%s\n' "$out" | head -20
    fail=$((fail + 1))
    continue
  fi
  if [ "${MDK_UPDATE_GOLDEN:-0}" = 1 ]; then
    printf '%s\n' "$out" > "$name/expected.txt"
    continue
  fi
  if printf '%s\n' "$out" | cmp -s - "$name/expected.txt"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name"
    printf '%s\n' "$out" | diff -u "$name/expected.txt" - | head -20
  fi
done
echo "lint goldens: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
