#!/bin/sh
# install.sh BUILD - `make install PREFIX=DIR` puts a working mdock in
# DIR/bin and its man page (every command's help) in DIR/share/man/man1;
# `make uninstall` takes both away again.
set -u
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
P=$(mktemp -d /tmp/mdock-install.XXXXXX)
trap 'rm -rf "$P"' EXIT
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
make -s -C "$TOP" BUILD="$BUILD" install PREFIX="$P" > "$P.log" 2>&1 ||
  bad "make install failed: $(tail -3 "$P.log")"
[ -x "$P/bin/mdock" ] || bad "no $P/bin/mdock"
"$P/bin/mdock" version | grep -q '^mdock [0-9]' || bad "the installed binary does not run"
printf 'FROM scratch\nCOPY a /a\n' | "$P/bin/mdock" ir -f - >/dev/null 2>&1 ||
  bad "the installed binary does not compile a Dockerfile"
page="$P/share/man/man1/mdock.1"
[ -f "$page" ] || bad "no man page at $page"
if [ -f "$page" ]; then
  # the page renders, and holds every command with its options
  text=$(groff -man -Tascii -P-c -P-b -P-o -P-u "$page" 2>/dev/null)
  for c in $("$P/bin/mdock" --help | sed -n '/^commands:/,/^$/p' | sed 1d | awk '{print $1}'); do
    printf '%s\n' "$text" | grep -q "MDOCK $(echo "$c" | tr a-z A-Z)" || bad "the man page lacks $c"
  done
  printf '%s\n' "$text" | grep -q -- '--iidfile' || bad "the man page lacks build's options"
fi
make -s -C "$TOP" BUILD="$BUILD" uninstall PREFIX="$P" >/dev/null 2>&1
[ -e "$P/bin/mdock" ] && bad "make uninstall left the binary"
rm -f "$P.log"
echo "install: $fail failed"
[ $fail -eq 0 ]
