#!/bin/sh
# build_modal.sh - mdock build --dialect modal: what Modal's builder refuses
# (ADD of local files, ${V:-d}, variables in COPY sources, --parents,
# platforms) fails before anything is built, naming the rule; what would
# only misbehave at run time (ENTRYPOINT checks) is reported and built.
set -u
. "$(dirname "$0")/lib.sh"
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
"$MDOCK" build -q --from modal-base:1 --command 'COPY /one.txt /one.txt' \
  --context-file one.txt=cdir/keep.txt cdir >/dev/null 2>err ||
  bad "--context-file with a context directory: $(cat err)"
grep -q "cdir is not used" err || bad "the unused context directory is not said: $(cat err)"
# Modal's cache over a chain of images: an unchanged chain re-run runs no
# step; a forced step rebuilds itself and what follows, in the same build
# and in every build --from it further down the chain (once)
busybox_context "$WORK/bb"
"$MDOCK" build -q -t chain-bb "$WORK/bb" >/dev/null || bad "busybox base"
runs() {  # the RUN steps a plain progress shows as run (not CACHED)
  grep -E '^#[0-9]+ \[.*\] RUN' "$WORK/p" | awk '{print $1}' | sort -u |
    while read -r n; do grep -q "^$n CACHED" "$WORK/p" || echo "$n"; done |
    wc -l
}
chain() {  # builds c1 <- c2 <- c3; prints the RUN steps each ran
  for i in 1 2 3; do
    base=chain-bb; [ "$i" -gt 1 ] && base=chain-c$((i - 1))
    if [ "$i" = "${FORCE_AT:-0}" ]; then
      MDOCK_FORCE_BUILD=1 "$MDOCK" build --progress plain -t chain-c$i --from "$base" \
        --command "RUN echo $i > /f$i" --command "RUN echo more$i > /g$i" >"$WORK/p" 2>&1
    else
      "$MDOCK" build --progress plain -t chain-c$i --from "$base" \
        --command "RUN echo $i > /f$i" --command "RUN echo more$i > /g$i" >"$WORK/p" 2>&1
    fi || bad "chain build $i: $(tail -3 "$WORK/p")"
    printf '%s ' "$(runs)"
  done
}
first=$(chain)
[ "$first" = "2 2 2 " ] || bad "a new chain runs every step: $first"
again=$(chain)
[ "$again" = "0 0 0 " ] || bad "an unchanged chain re-run runs no step: $again"
forced=$(FORCE_AT=1 chain)
[ "$forced" = "2 2 2 " ] || bad "forcing the first image rebuilds the chain below it: $forced"
after=$(chain)
[ "$after" = "0 0 0 " ] || bad "after the forced run the chain is cached again: $after"
mid=$(FORCE_AT=2 chain)
[ "$mid" = "0 2 2 " ] || bad "forcing the middle image rebuilds it and what is below: $mid"
# in one build: a forced step forces the later ones, in stages built on it
printf 'FROM chain-bb AS a\nRUN echo a > /a\n# mdock force-build\nRUN echo b > /b\nRUN echo c > /c\nFROM a\nRUN echo d > /d\n' > Dockerfile
"$MDOCK" build -q -t chain-one . >/dev/null || bad "the one-build case builds"
"$MDOCK" build --progress plain -t chain-one . >"$WORK/p" 2>&1
[ "$(runs)" = 3 ] || bad "a forced step forces the later ones and the stage built on it: $(runs) run"
echo "modal dialect builds: $fail failed"
[ $fail -eq 0 ]
