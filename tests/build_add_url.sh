#!/bin/sh
# build_add_url.sh - ADD of http URLs against a real server on loopback
# (busybox httpd): the file lands with mode 0600 and the server's
# Last-Modified time; --checksum is enforced; a 404 is an error naming the
# answer; an unchanged URL is cached, a changed one rebuilds.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-url.XXXXXX)
PORT=$(free_port $((20000 + $$ % 20000)))
mkdir -p "$WORK/www" "$WORK/c"
busybox httpd -f -p "127.0.0.1:$PORT" -h "$WORK/www" 2>/dev/null &
HP=$!
trap 'kill $HP 2>/dev/null; rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
echo "remote v1" > "$WORK/www/file.txt"
touch -d @1650000000 "$WORK/www/file.txt"
sleep 0.3
U="http://127.0.0.1:$PORT/file.txt"
SUM=$(sha256sum "$WORK/www/file.txt" | cut -d' ' -f1)
printf 'FROM scratch\nADD %s /dl/\nADD --checksum=sha256:%s %s /checked\n' "$U" "$SUM" "$U" > "$WORK/c/Dockerfile"
(cd "$WORK/c" && "$MDOCK" build -q -t u . >/dev/null 2>"$WORK/err") || bad "build: $(cat "$WORK/err")"
"$MDOCK" export u --output "type=local,dest=$WORK/root" || bad "export"
[ "$(stat -c '%a %Y' "$WORK/root/dl/file.txt" 2>/dev/null)" = "600 1650000000" ] ||
  bad "mode and mtime: $(stat -c '%a %Y' "$WORK/root/dl/file.txt" 2>&1)"
cmp -s "$WORK/root/checked" "$WORK/www/file.txt" || bad "checked file content"
printf 'FROM scratch\nADD --checksum=sha256:%064d %s /x\n' 0 "$U" > "$WORK/c/Dockerfile.bad"
(cd "$WORK/c" && "$MDOCK" build -q -f Dockerfile.bad . >/dev/null 2>"$WORK/err") && bad "a wrong checksum was accepted"
grep -q "checksum mismatch" "$WORK/err" || bad "checksum error: $(cat "$WORK/err")"
printf 'FROM scratch\nADD http://127.0.0.1:%s/nope /x\n' "$PORT" > "$WORK/c/Dockerfile.404"
(cd "$WORK/c" && "$MDOCK" build -q -f Dockerfile.404 . >/dev/null 2>"$WORK/err") && bad "a 404 was accepted"
grep -q "answered 404" "$WORK/err" || bad "404 error: $(cat "$WORK/err")"
grep -q "Dockerfile.404:2:1" "$WORK/err" || bad "the 404 error names the line: $(cat "$WORK/err")"
st() { (cd "$WORK/c" && "$MDOCK" build --progress json -t u . 2>&1 >/dev/null) | grep '^{' | jq -r 'select(.key != null and .status != null) | .status' | head -1; }
[ "$(st)" = cached ] || bad "an unchanged URL should be cached"
echo "remote v2" > "$WORK/www/file.txt"
[ "$(st)" = done ] || bad "a changed URL should rebuild"
echo "ADD URL: $fail failed"
[ $fail -eq 0 ]
