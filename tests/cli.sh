#!/bin/sh
# cli.sh - the command line, from its tables (cli/cmd_*.c): every command
# rejects an unknown option with exit 2, a hint and its own --help pointer;
# every --help exits 0 and names every option of the command's table (read
# here from the sources, not from the help); a typo gets a did-you-mean, a
# bad value the list of good ones; the top-level help lists every command.
# Then what the tables fixed: prune --dry-run removes nothing (the store is
# listed before and after), prune asks on a terminal, rmi -f, images -a
# and --format, build rejects ir's options, and ADD of a git repository is
# typed as git, and an unreachable remote fails at its line before anything
# is built.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/mdock-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store" NO_COLOR=1
fail=0
checks=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
ok() { checks=$((checks + 1)); }

# the option names of each macro row of cli/input.h (MDK_IN_OPT_FILE ...)
macro_names() {
  awk -v m="$1" '
    $0 ~ "^#define " m "[ (]" { on = 1 }
    on { while(match($0, /\{MDK_IN_[A-Z_]+, "[a-z-]+"/)) {
           s = substr($0, RSTART, RLENGTH); sub(/.*"/, "", s);
           t = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", t); sub(/".*/, "", t);
           print t; $0 = substr($0, RSTART + RLENGTH) }
         if($0 !~ /\\$/) on = 0 }' "$SRC/cli/input.h"
}

# the long options of a command's table, from its source file
table_names() {
  grep -oE '\{(O|MDK_IN)_[A-Z_]+, "[a-z-]+"' "$1" | sed 's/.*"\([a-z-]*\)"/\1/'
  for m in $(grep -oE 'MDK_IN_OPT_[A-Z_]+' "$1" | sort -u); do
    macro_names "$m"
  done
}

commands=""
for f in "$SRC"/cli/cmd_*.c "$SRC/cli/cli.c"; do
  # const struct mdk_cli_cmd mdk_cli_cmd_NAME = { "NAME", ...
  for name in $(grep -A1 '^const struct mdk_cli_cmd mdk_cli_cmd_' "$f" |
                grep -oE '^ *"[a-z]+"' | tr -d ' "'); do
    commands="$commands $name"
    # the last member of the struct: hidden
    hidden=$(sed -n "/^const struct mdk_cli_cmd mdk_cli_cmd_$name /,/^};/p" "$f" |
             tr -d ' \n' | grep -c 'true};$')
    out=$("$MDOCK" "$name" --help 2>&1); rc=$?
    [ $rc -eq 0 ] || bad "$name --help exits $rc"
    case "$out" in "usage: mdock $name"*) ok ;; *) bad "$name --help: no usage line" ;; esac
    [ "$f" = "$SRC/cli/cli.c" ] && names="" || names=$(table_names "$f")
    for o in $names; do
      if printf '%s\n' "$out" | grep -q -- "--$o\b"; then ok
      else bad "$name --help does not name --$o"; fi
    done
    "$MDOCK" "$name" --no-such-option-here >/dev/null 2>"$WORK/err"; rc=$?
    [ $rc -eq 2 ] || bad "$name --no-such-option-here exits $rc, not 2"
    grep -q "unknown option '--no-such-option-here'" "$WORK/err" &&
      grep -q "mdock $name --help" "$WORK/err" && ok ||
      bad "$name: unknown option without its hint: $(cat "$WORK/err")"
    if [ "$hidden" -eq 0 ]; then
      "$MDOCK" --help | grep -q "^  $name " && ok || bad "mdock --help omits $name"
    fi
  done
done
echo "cli: $(echo $commands | wc -w) commands: $commands"

# a typo, a bad value, an unknown command
"$MDOCK" build --no-cach . >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q 'did you mean --no-cache?' "$WORK/err" && ok ||
  bad "build --no-cach: $(cat "$WORK/err")"
"$MDOCK" prune --dryrun >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q 'did you mean --dry-run?' "$WORK/err" && ok ||
  bad "prune --dryrun: $(cat "$WORK/err")"
"$MDOCK" build --progress fancy . >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q 'takes auto, tty, plain or json' "$WORK/err" && ok ||
  bad "build --progress fancy: $(cat "$WORK/err")"
"$MDOCK" biuld . >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q "did you mean 'build'" "$WORK/err" && ok ||
  bad "mdock biuld: $(cat "$WORK/err")"
# ir's options are not build's; build's usage errors point at build
for o in --no-opt "--passes=fold" -v; do
  "$MDOCK" build "$o" . >/dev/null 2>"$WORK/err"
  [ $? -eq 2 ] && grep -q "mdock build --help" "$WORK/err" && ok ||
    bad "build $o was accepted: $(cat "$WORK/err")"
done
"$MDOCK" build --push=maybe . >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && ok || bad "build --push=maybe was accepted"

# a store with one image that no tag keeps
mkdir -p "$WORK/ctx"
echo hello > "$WORK/ctx/a.txt"
printf 'FROM scratch\nCOPY a.txt /a.txt\n' > "$WORK/ctx/Dockerfile"
"$MDOCK" build -q -t cli-test "$WORK/ctx" >/dev/null 2>"$WORK/err" ||
  bad "build: $(cat "$WORK/err")"
"$MDOCK" images --format '{{.Repository}}:{{.Tag}}' | grep -qx 'cli-test:latest' &&
  ok || bad "images --format: $("$MDOCK" images --format '{{.Repository}}:{{.Tag}}')"
"$MDOCK" images --format '{{.Nope}}' >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "images --format with an unknown field was accepted"
"$MDOCK" rmi cli-test >/dev/null || bad "rmi cli-test"
"$MDOCK" rmi cli-test >/dev/null 2>&1 && bad "rmi of a missing name succeeded" || ok
"$MDOCK" rmi -f cli-test >/dev/null 2>&1 && ok || bad "rmi -f of a missing name failed"
"$MDOCK" images -a | grep -q '^<none>' && ok || bad "images -a does not show the untagged image"
"$MDOCK" images | grep -q '^<none>' && bad "images shows untagged images without -a" || ok

listing() { (cd "$MDOCK_ROOT" && find . -path ./lock -prune -o -print | LC_ALL=C sort | xargs -d '\n' ls -ld --time-style=+%s | awk '{print $1, $5, $NF}'); }
before=$(listing)
"$MDOCK" prune --dry-run > "$WORK/dry" 2>&1 || bad "prune --dry-run failed: $(cat "$WORK/dry")"
after=$(listing)
[ "$before" = "$after" ] && ok || bad "prune --dry-run changed the store"
grep -q '^would remove blobs/sha256/' "$WORK/dry" && ok ||
  bad "prune --dry-run lists nothing to remove: $(cat "$WORK/dry")"
# on a terminal prune asks; "n" removes nothing
if command -v script >/dev/null; then
  echo n | script -qec "$MDOCK prune" /dev/null > "$WORK/ask" 2>&1
  grep -q 'Are you sure' "$WORK/ask" && ok || bad "prune on a terminal did not ask: $(cat "$WORK/ask")"
  [ "$before" = "$(listing)" ] && ok || bad "prune answered n removed something"
fi
"$MDOCK" prune -f > "$WORK/real" 2>&1 || bad "prune -f failed: $(cat "$WORK/real")"
for b in $(sed -n 's/^would remove \(blobs\/sha256\/.*\)/\1/p' "$WORK/dry"); do
  [ -e "$MDOCK_ROOT/$b" ] && bad "prune -f left $b"
done
[ "$before" != "$(listing)" ] && ok || bad "prune -f removed nothing"
"$MDOCK" fsck >/dev/null || bad "fsck after prune"

# ADD of a git repository: typed as git; the build stops at its line
printf 'FROM scratch\nCOPY a.txt /a.txt\nADD git://host/repo.git /x\nADD https://host/repo.git#main /y\n' > "$WORK/ctx/Dockerfile"
"$MDOCK" ir --format json -f "$WORK/ctx/Dockerfile" > "$WORK/ir.json" ||
  bad "ir of ADD git failed"
n=$(grep -c '"from": "git"' "$WORK/ir.json")
[ "$n" -eq 2 ] && ok || bad "ADD of git URLs typed as git $n times, not 2"
grep -q '"from": "context"' "$WORK/ir.json" && ok || bad "COPY is not from the context"
rm -rf "$MDOCK_ROOT"
"$MDOCK" build --progress json "$WORK/ctx" > /dev/null 2> "$WORK/err"
[ $? -eq 1 ] && ok || bad "build with ADD git did not fail with 1"
grep -q 'Dockerfile:3:1: error: git ls-remote git://host/repo.git failed' "$WORK/err" && ok ||
  bad "an unreachable git remote is not an error at its line: $(cat "$WORK/err")"
grep -q '"step"' "$WORK/err" && bad "a step ran before the git ref was resolved" || ok
[ -z "$(ls "$MDOCK_ROOT/cache" 2>/dev/null)" ] && ok || bad "the cache holds entries"

echo "cli: $checks checks, $fail failed"
[ $fail -eq 0 ]
