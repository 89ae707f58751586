#!/bin/sh
# registry_retries.sh - a real registry (Debian's docker-registry) behind a
# proxy that misbehaves on purpose (tests/fault_proxy.c): manifests that
# answer 500 before they succeed, a blob whose connection is reset in the
# middle (the pull resumes with a Range request), a blob that stalls once
# (the pull times out, then resumes), a blob that always stalls (an error,
# in bounded time), a push whose blob upload and manifest answer 500
# first, and a chunked push one of whose chunks answers 500.  After each pull: the image is right or absent, fsck is clean,
# and no temporary file is left.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PROXY=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
command -v docker-registry >/dev/null || { echo "registry: docker-registry is missing (make deps)"; exit 1; }
WORK=$(mktemp -d /tmp/mdock-retry.XXXXXX)
PORT=$(free_port $((31000 + $$ % 15000)))
PPORT=$(free_port $((PORT + 1)))
RP=
PP=
trap '[ -n "$RP" ] && kill $RP 2>/dev/null; [ -n "$PP" ] && kill $PP 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
start_registry "$WORK" "$PORT" || exit 1
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# the image: busybox, its layer about 1 MB compressed
export MDOCK_ROOT="$WORK/seed"
busybox_context "$WORK/bb"
(cd "$WORK/bb" && "$MDOCK" build -q -t bb . >/dev/null) || exit 1
"$MDOCK" export bb --output "type=oci,tar=false,dest=$WORK/oci" || exit 1
skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci:bb:latest" \
  "docker://127.0.0.1:$PORT/busybox:latest" || { echo "skopeo copy failed"; exit 1; }
skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/busybox:latest" > "$WORK/manifest"
WANT=$(sha256sum < "$WORK/manifest" | cut -d' ' -f1)
LAYER=$(sed 's/.*"layers":\[{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$WORK/manifest")

# proxy RULE...: (re)starts the proxy in front of the registry
proxy() {
  [ -n "$PP" ] && kill $PP 2>/dev/null && wait $PP 2>/dev/null
  "$PROXY" "$PPORT" "$PORT" "$@" > "$WORK/proxy.out" 2> "$WORK/proxy.log" &
  PP=$!
  _t=0
  until grep -q ready "$WORK/proxy.out" 2>/dev/null; do
    _t=$((_t + 1)); [ $_t -gt 50 ] && { echo "the proxy did not start"; exit 1; }
    sleep 0.1
  done
}
# pulled NAME: a fresh store pulls through the proxy; checks the outcome
pulled() {
  export MDOCK_ROOT="$WORK/store-$1"
  if d=$("$MDOCK" pull "127.0.0.1:$PPORT/busybox" 2>"$WORK/err-$1" | tail -1) &&
     [ "$d" = "sha256:$WANT" ]; then :; else
    bad "$1: the pull gave '$d': $(tail -2 "$WORK/err-$1")"
  fi
  "$MDOCK" fsck >/dev/null 2>&1 || bad "$1: fsck after the pull"
  [ -z "$(ls -A "$MDOCK_ROOT/tmp" 2>/dev/null)" ] || bad "$1: files left in tmp"
}

proxy 500:/manifests/:2
pulled manifest-500
[ "$(grep -c '^500 GET /v2/busybox/manifests' "$WORK/proxy.log")" = 2 ] ||
  bad "manifest-500: the proxy did not answer 500 twice"

proxy "cut:$LAYER:1:300000"
pulled blob-reset
grep -q "retrying" "$WORK/err-blob-reset" || bad "blob-reset: no retry reported"
[ "$(grep -c "GET /v2/busybox/blobs/sha256:$LAYER" "$WORK/proxy.log")" = 2 ] ||
  bad "blob-reset: the layer was not asked for exactly twice"
# the second time for the rest only
grep -q "blobs/sha256:$LAYER HTTP/1.1 range=bytes=[1-9][0-9]*-$" "$WORK/proxy.log" ||
  bad "blob-reset: the retry did not resume with a Range request"

export MDOCK_NET_TIMEOUT=2
proxy "stall:$LAYER:1:200000"
pulled blob-stall
grep -q "retrying" "$WORK/err-blob-stall" || bad "blob-stall: no retry reported"
grep -q "range=bytes=[1-9]" "$WORK/proxy.log" || bad "blob-stall: no resume"

# always stalling before the body: an error after three attempts without
# progress, nothing stored
proxy "stall:$LAYER:1000:40"
export MDOCK_ROOT="$WORK/store-stuck"
t0=$(date +%s)
if "$MDOCK" pull -q "127.0.0.1:$PPORT/busybox" >/dev/null 2>"$WORK/err-stuck"; then
  bad "stuck: the pull succeeded"
fi
t1=$(date +%s)
[ $((t1 - t0)) -lt 30 ] || bad "stuck: the pull took $((t1 - t0)) s"
grep -qi "timeout\|timed out" "$WORK/err-stuck" || bad "stuck: $(tail -1 "$WORK/err-stuck")"
"$MDOCK" fsck >/dev/null 2>&1 || bad "stuck: fsck"
[ -z "$(ls -A "$MDOCK_ROOT/tmp" 2>/dev/null)" ] || bad "stuck: files left in tmp"
"$MDOCK" images 2>/dev/null | grep -q busybox && bad "stuck: the image was stored"
unset MDOCK_NET_TIMEOUT

# a push whose upload and manifest answer 500 first; skopeo reads it back
proxy 500:PUT:2 500:/blobs/uploads/:1
export MDOCK_ROOT="$WORK/seed"
"$MDOCK" push bb "127.0.0.1:$PPORT/pushed:1" >/dev/null 2>"$WORK/err-push" ||
  bad "push through 500s: $(tail -2 "$WORK/err-push")"
[ "$(grep -c '^500 ' "$WORK/proxy.log")" -ge 2 ] || bad "push: the proxy answered no 500"
skopeo inspect --tls-verify=false "docker://127.0.0.1:$PORT/pushed:1" >/dev/null 2>&1 ||
  bad "push: skopeo cannot read the pushed image"

# a chunked upload (300 kB chunks: the 1 MB layer in 4 PATCHes), one of
# whose chunks answers 500: the upload's status says where to go on
mkdir -p "$WORK/rnd"
head -c 1000000 /dev/urandom > "$WORK/rnd/big"
printf 'FROM scratch\nCOPY big /big\n' > "$WORK/rnd/Dockerfile"
export MDOCK_ROOT="$WORK/seed"
(cd "$WORK/rnd" && "$MDOCK" build -q -t rnd . >/dev/null) || bad "build of the random image"
proxy 500:PATCH:1
export MDOCK_UPLOAD_CHUNK=300000
"$MDOCK" push rnd "127.0.0.1:$PPORT/chunked:1" >/dev/null 2>"$WORK/err-chunk" ||
  bad "chunked push: $(tail -2 "$WORK/err-chunk")"
unset MDOCK_UPLOAD_CHUNK
[ "$(grep -c 'PATCH /v2/chunked/blobs/uploads/' "$WORK/proxy.log")" -ge 5 ] ||
  bad "chunked push: fewer PATCHes than chunks and the failed one: $(grep -c PATCH "$WORK/proxy.log")"
grep -q '^pass GET /v2/chunked/blobs/uploads/' "$WORK/proxy.log" ||
  bad "chunked push: the upload's status was not asked for after the 500"
RWANT=$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/chunked:1" | sha256sum | cut -d' ' -f1)
skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$PORT/chunked:1" "dir:$WORK/chunked-dir" ||
  bad "chunked push: skopeo cannot copy it back"
cmp -s "$WORK/rnd/big" "$(ls -S "$WORK/chunked-dir"/* | head -1)" 2>/dev/null ||
  tar -xzOf "$(ls -S "$WORK/chunked-dir"/* | head -1)" big 2>/dev/null | cmp -s - "$WORK/rnd/big" ||
  bad "chunked push: the layer read back does not hold the file"
export MDOCK_ROOT="$WORK/store-chunked"
d=$("$MDOCK" pull -q "127.0.0.1:$PORT/chunked:1" 2>"$WORK/err-chunk2")
[ "$d" = "sha256:$RWANT" ] || bad "chunked push: pulling it back gave '$d': $(cat "$WORK/err-chunk2")"
"$MDOCK" fsck >/dev/null 2>&1 || bad "chunked push: fsck after pulling it back"

echo "registry retries: $fail failed"
[ $fail -eq 0 ]
