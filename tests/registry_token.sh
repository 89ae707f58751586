#!/bin/sh
# registry_token.sh - a registry behind a token service, the way Docker Hub
# and most registries work: Debian's docker-registry with token auth, and a
# small token service written for the test (a shell CGI under busybox httpd,
# behind Basic auth, signing RS256 JWTs with openssl for a certificate the
# registry trusts).  mdock follows the WWW-Authenticate challenge to the
# token service with the credentials `mdock login` stored, gets a token with
# the scope it needs, and pushes, pulls and builds FROM the image; wrong
# credentials are refused with the token service's answer named; the
# password never appears in any output.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
for t in docker-registry openssl skopeo busybox; do
  command -v $t >/dev/null || { echo "registry token: $t is missing (make deps)"; exit 1; }
done
WORK=$(mktemp -d /tmp/mdock-token.XXXXXX)
PORT=$(free_port $((32000 + $$ % 15000)))
TPORT=$(free_port $((PORT + 1)))
RP=
TP=
trap '[ -n "$RP" ] && kill $RP 2>/dev/null; [ -n "$TP" ] && kill $TP 2>/dev/null; rm -rf "$WORK"' EXIT
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# the token service's signing key and the certificate the registry trusts
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mdock-test-tokens \
  -days 2 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null ||
  { echo "registry token: openssl cannot make a key"; exit 1; }
X5C=$(openssl x509 -in "$WORK/cert.pem" -outform DER | base64 -w0)
mkdir -p "$WORK/www/cgi-bin"
# busybox httpd asks for Basic credentials on /cgi-bin
printf '/cgi-bin:tester:s3cret-pass\n' > "$WORK/httpd.conf"
cat > "$WORK/www/cgi-bin/token" <<EOF
#!/bin/sh
# a token for the scope asked for (repository:NAME:ACTIONS), 10 minutes
PATH=/usr/bin:/bin
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
q=\$(printf '%s' "\$QUERY_STRING" | sed 's/%3A/:/g; s/%2C/,/g; s/%2F/\\//g')
scope=\$(printf '%s' "\$q" | tr '&' '\\n' | sed -n 's/^scope=//p' | head -1)
name=\$(printf '%s' "\$scope" | cut -d: -f2)
actions=\$(printf '%s' "\$scope" | cut -d: -f3 | sed 's/\\([a-z*]*\\)/"\\1"/g')
now=\$(date +%s)
h=\$(printf '{"typ":"JWT","alg":"RS256","x5c":["%s"]}' "$X5C" | b64url)
c=\$(printf '{"iss":"mdock-test-issuer","sub":"tester","aud":"mdock-test-registry","exp":%d,"nbf":%d,"iat":%d,"jti":"%s","access":[{"type":"repository","name":"%s","actions":[%s]}]}' \
  \$((now + 600)) \$((now - 10)) \$now "\$now\$\$" "\$name" "\$actions" | b64url)
s=\$(printf '%s.%s' "\$h" "\$c" | openssl dgst -sha256 -sign "$WORK/key.pem" | b64url)
echo "\$scope" >> "$WORK/scopes"
printf 'Content-Type: application/json\\r\\n\\r\\n{"token":"%s.%s.%s","expires_in":600}' "\$h" "\$c" "\$s"
EOF
chmod 755 "$WORK/www/cgi-bin/token"
busybox httpd -f -p "127.0.0.1:$TPORT" -h "$WORK/www" -c "$WORK/httpd.conf" &
TP=$!

mkdir -p "$WORK/data"
cat > "$WORK/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $WORK/data
http:
  addr: 127.0.0.1:$PORT
auth:
  token:
    realm: http://127.0.0.1:$TPORT/cgi-bin/token
    service: mdock-test-registry
    issuer: mdock-test-issuer
    rootcertbundle: $WORK/cert.pem
EOF
docker-registry serve "$WORK/config.yml" > "$WORK/registry.log" 2>&1 &
RP=$!
tries=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/")" = 401 ]; do
  tries=$((tries + 1))
  [ $tries -gt 50 ] && { echo "registry token: the registry did not start: $(cat "$WORK/registry.log")"; exit 1; }
  sleep 0.1
done
curl -s -D - -o /dev/null "http://127.0.0.1:$PORT/v2/" | grep -qi 'www-authenticate: Bearer realm=' ||
  { echo "registry token: the registry does not send a Bearer challenge"; exit 1; }

mkdir -p "$WORK/home"
export HOME="$WORK/home" DOCKER_CONFIG="$WORK/home/.docker"
export MDOCK_ROOT="$WORK/store"
busybox_context "$WORK/bb"
(cd "$WORK/bb" && "$MDOCK" build -q -t bb . >/dev/null) || exit 1

# no credentials: the token service refuses, and the error says so
"$MDOCK" push bb "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" && bad "a push without credentials worked"
grep -q "token" "$WORK/err" || bad "no-credentials message: $(cat "$WORK/err")"
echo wrong | "$MDOCK" login -u tester --password-stdin "127.0.0.1:$PORT" >/dev/null 2>&1
"$MDOCK" push bb "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" && bad "a push with a wrong password worked"
grep -q "401" "$WORK/err" || bad "wrong-password message: $(cat "$WORK/err")"

echo s3cret-pass | "$MDOCK" login -u tester --password-stdin "127.0.0.1:$PORT" >"$WORK/out" 2>&1 || bad "login"
"$MDOCK" push bb "127.0.0.1:$PORT/bb:1" >"$WORK/out2" 2>&1 || bad "push with a token: $(cat "$WORK/out2")"
grep -Eq "repository:bb:(pull,push|push,pull)" "$WORK/scopes" 2>/dev/null || bad "the push asked for no push scope: $(cat "$WORK/scopes" 2>/dev/null)"
skopeo inspect --tls-verify=false --creds tester:s3cret-pass "docker://127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/sk" ||
  bad "skopeo cannot read what mdock pushed: $(cat "$WORK/sk")"

# another store pulls it, and builds FROM it
export MDOCK_ROOT="$WORK/store2"
"$MDOCK" pull -q "127.0.0.1:$PORT/bb:1" >/dev/null 2>"$WORK/err" || bad "pull with a token: $(cat "$WORK/err")"
export MDOCK_ROOT="$WORK/store3"
mkdir -p "$WORK/app"
printf 'FROM 127.0.0.1:%s/bb:1\nRUN echo built > /built\n' "$PORT" > "$WORK/app/Dockerfile"
(cd "$WORK/app" && "$MDOCK" build -t app . >"$WORK/out3" 2>&1) || bad "build FROM a token registry: $(tail -3 "$WORK/out3")"
for f in "$WORK/err" "$WORK/out" "$WORK/out2" "$WORK/out3"; do
  grep -q s3cret "$f" && bad "the password appears in $(basename "$f")"
done
echo "registry token: $fail failed"
[ $fail -eq 0 ]
