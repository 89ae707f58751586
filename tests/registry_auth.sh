#!/bin/sh
# registry_auth.sh - a registry behind htpasswd Basic auth (Debian's
# docker-registry on loopback): pulls and pushes fail without credentials,
# naming what to do; `mdock login` stores them (0600, never printed) and
# both work; `mdock logout` removes them.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
for t in docker-registry htpasswd skopeo; do
  command -v $t >/dev/null || { echo "registry auth: $t is missing (make deps)"; exit 1; }
done
WORK=$(mktemp -d /tmp/mdock-auth.XXXXXX)
PORT=$((40000 + $$ % 20000))
mkdir -p "$WORK/home"
htpasswd -Bbn tester s3cret-pass > "$WORK/htpasswd"
RP=
trap '[ -n "$RP" ] && kill $RP 2>/dev/null; rm -rf "$WORK"' EXIT
start_registry "$WORK" "$PORT" "$WORK/htpasswd" || exit 1
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/")" = 401 ] ||
  { echo "registry auth: the registry does not ask for credentials"; exit 1; }
export HOME="$WORK/home" DOCKER_CONFIG="$WORK/home/.docker"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
export MDOCK_ROOT="$WORK/store"
B="$WORK/bb"
mkdir -p "$B/bin"
cp /bin/busybox "$B/bin/busybox"
ln -s busybox "$B/bin/sh"
printf 'FROM scratch\nCOPY bin /bin/\nCMD ["sh"]\n' > "$B/Dockerfile"
(cd "$B" && "$MDOCK" build -q -t bb . >/dev/null) || exit 1
"$MDOCK" push bb "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" && bad "a push without credentials worked"
grep -q "needs credentials" "$WORK/err" || bad "no-credentials message: $(cat "$WORK/err")"
echo s3cret-pass | "$MDOCK" login -u tester --password-stdin "127.0.0.1:$PORT" >"$WORK/out" || bad "login"
grep -q s3cret "$WORK/out" && bad "login printed the password"
[ "$(stat -c %a "$DOCKER_CONFIG/config.json")" = 600 ] || bad "the credentials file is not 0600"
"$MDOCK" push bb "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" || bad "push with credentials: $(cat "$WORK/err")"
grep -q s3cret "$WORK/err" && bad "push printed the password"
skopeo inspect --tls-verify=false --creds tester:s3cret-pass "docker://127.0.0.1:$PORT/bb:1" >/dev/null 2>&1 ||
  bad "skopeo cannot read what mdock pushed"
export MDOCK_ROOT="$WORK/store2"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" || bad "pull with credentials: $(cat "$WORK/err")"
"$MDOCK" logout "127.0.0.1:$PORT" >/dev/null || bad "logout"
export MDOCK_ROOT="$WORK/store3"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>&1 && bad "a pull after logout worked"
echo "registry auth: $fail failed"
[ $fail -eq 0 ]
