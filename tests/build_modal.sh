#!/bin/sh
# build_modal.sh - mdock build --dialect modal: what Modal's builder refuses
# (ADD of local files, ${V:-d}, variables in COPY sources, --parents,
# platforms) fails before anything is built, naming the rule; what would
# only misbehave at run time (ENTRYPOINT checks) is reported and built.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-modal.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
cd "$WORK" || exit 1
echo data > f
refuse() { # rule, Dockerfile text
  printf "$2" > Dockerfile
  if "$MDOCK" build -q --dialect modal . >/dev/null 2>err; then
    bad "$1 should refuse: $2"
  elif ! grep -q "\[$1\]" err; then
    bad "$1 not named: $(cat err)"
  fi
  "$MDOCK" build -q --dialect docker . >/dev/null 2>&1 || bad "$1: --dialect docker should build it"
}
refuse MDM010 'FROM scratch\nADD f /f\n'
refuse MDM012 'FROM scratch\nCOPY --parents f /d/\n'
refuse MDM014 'FROM --platform=linux/arm64 scratch\nCOPY f /f\n'
printf 'FROM scratch\nCOPY f /f\nENTRYPOINT /bin/app\n' > Dockerfile
"$MDOCK" build -q --dialect modal . >/dev/null 2>err || bad "a shell-form ENTRYPOINT builds (Modal builds it)"
grep -q "\[MDM001\]" err || bad "the ENTRYPOINT finding is shown: $(cat err)"
printf 'FROM scratch\nENV X=${Y:-d}\n' > Dockerfile
"$MDOCK" build -q --dialect modal . >/dev/null 2>err && bad "\${Y:-d} should fail in the modal dialect"
grep -q "Modal does not support" err || bad "\${Y:-d} message: $(cat err)"
refuse MDM018 'FROM scratch\nCOPY ["f", "/f"]\n'

# a --command build takes a context directory (Modal's context_dir), and
# its .dockerignore applies; --context-file stays for single files
printf 'FROM scratch\nCOPY f /base-file\n' > Dockerfile
"$MDOCK" build -q -t modal-base:1 . >/dev/null || bad "the base image builds"
mkdir -p cdir/sub
echo keep > cdir/keep.txt
echo skip > cdir/skip.txt
echo nested > cdir/sub/n.txt
printf 'skip.txt\n' > cdir/.dockerignore
"$MDOCK" build -q --from modal-base:1 --command 'COPY . /app' -t modal-ctx:1 \
  cdir >/dev/null 2>err || bad "a --command build with a context directory: $(cat err)"
rm -rf out
"$MDOCK" export modal-ctx:1 --output "type=local,dest=$WORK/out" 2>/dev/null
[ -f out/app/keep.txt ] && [ -f out/app/sub/n.txt ] ||
  bad "the context directory was not copied: $(cd out 2>/dev/null && find . | head)"
[ -e out/app/skip.txt ] && bad ".dockerignore of the command build's context not applied"
[ -f out/base-file ] || bad "the base image's file is missing"
"$MDOCK" build -q --from modal-base:1 --command 'COPY /one.txt /one.txt' \
  --context-file one.txt=cdir/keep.txt -t modal-cf:1 >/dev/null 2>err ||
  bad "--context-file: $(cat err)"
"$MDOCK" build -q --from modal-base:1 --command 'COPY . /app' \
  --context-file one.txt=cdir/keep.txt cdir >/dev/null 2>&1 &&
  bad "a context directory and --context-file together should be refused"
echo "modal dialect builds: $fail failed"
[ $fail -eq 0 ]
