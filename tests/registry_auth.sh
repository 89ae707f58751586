#!/bin/sh
# registry_auth.sh - a registry behind htpasswd Basic auth (Debian's
# docker-registry on loopback): pulls and pushes fail without credentials,
# naming what to do; `mdock login` stores them (0600, never printed) and
# both work; `mdock logout` removes them.  The same through credential
# helpers: credsStore (login stores into it, logout erases), credHelpers
# for one host winning over auths, and a helper that is not installed.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
for t in docker-registry htpasswd skopeo; do
  command -v $t >/dev/null || { echo "registry auth: $t is missing (make deps)"; exit 1; }
done
WORK=$(mktemp -d /tmp/mdock-auth.XXXXXX)
PORT=$(free_port $((40000 + $$ % 20000)))
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

# credential helpers, as Docker runs them: docker-credential-NAME get/store/
# erase, the server on stdin; this one keeps "server user secret" lines
mkdir -p "$WORK/bin"
export MDOCK_TEST_CREDS="$WORK/helper-creds"
cat > "$WORK/bin/docker-credential-mdocktest" <<'EOF2'
#!/bin/sh
f=$MDOCK_TEST_CREDS
case "$1" in
get) read -r server
     line=$(grep "^$server " "$f" 2>/dev/null | tail -1)
     [ -n "$line" ] || { echo "credentials not found in native keychain"; exit 1; }
     set -- $line
     printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "$1" "$2" "$3" ;;
store) in=$(cat)
     s=$(printf '%s' "$in" | sed 's/.*"ServerURL": *"\([^"]*\)".*/\1/')
     u=$(printf '%s' "$in" | sed 's/.*"Username": *"\([^"]*\)".*/\1/')
     p=$(printf '%s' "$in" | sed 's/.*"Secret": *"\([^"]*\)".*/\1/')
     echo "$s $u $p" >> "$f" ;;
erase) read -r server
     grep -v "^$server " "$f" > "$f.new" 2>/dev/null; mv "$f.new" "$f" ;;
*) exit 1 ;;
esac
EOF2
chmod 755 "$WORK/bin/docker-credential-mdocktest"
export PATH="$WORK/bin:$PATH"
printf '{"credsStore": "mdocktest"}\n' > "$DOCKER_CONFIG/config.json"
echo s3cret-pass | "$MDOCK" login -u tester --password-stdin "127.0.0.1:$PORT" >"$WORK/out" 2>&1 ||
  bad "login into a credsStore: $(cat "$WORK/out")"
grep -q "^127.0.0.1:$PORT tester s3cret-pass$" "$MDOCK_TEST_CREDS" 2>/dev/null ||
  bad "login did not store the credentials in the helper"
grep -q s3cret "$DOCKER_CONFIG/config.json" && bad "the config holds the password next to a credsStore"
grep -q s3cret "$WORK/out" && bad "login printed the password"
export MDOCK_ROOT="$WORK/store4"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" || bad "pull through the credsStore: $(cat "$WORK/err")"
"$MDOCK" logout "127.0.0.1:$PORT" >/dev/null || bad "logout from a credsStore"
grep -q "^127.0.0.1:$PORT " "$MDOCK_TEST_CREDS" && bad "logout did not erase the helper's credentials"
export MDOCK_ROOT="$WORK/store5"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>&1 && bad "a pull after a credsStore logout worked"
# credHelpers for this host win over wrong credentials in auths
echo "127.0.0.1:$PORT tester s3cret-pass" > "$MDOCK_TEST_CREDS"
printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}, "credHelpers": {"127.0.0.1:%s": "mdocktest"}}\n' \
  "$PORT" "$(printf 'tester:wrong' | base64)" "$PORT" > "$DOCKER_CONFIG/config.json"
export MDOCK_ROOT="$WORK/store6"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" || bad "pull through credHelpers: $(cat "$WORK/err")"
# a helper that is not installed: no credentials, said plainly
printf '{"credsStore": "nosuchhelper"}\n' > "$DOCKER_CONFIG/config.json"
export MDOCK_ROOT="$WORK/store7"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" && bad "a pull with a missing helper worked"
grep -q "needs credentials" "$WORK/err" || bad "missing helper: $(cat "$WORK/err")"
echo "registry auth: $fail failed"
[ $fail -eq 0 ]
