#!/bin/sh
# registry_faults.sh - a registry that lies: a fake one (static files under
# busybox httpd on loopback) serves a blob whose bytes do not match its
# digest, a truncated blob, and a manifest that is also an index.  Each
# pull is an error naming the problem, and the store stays consistent
# (fsck clean, nothing stored under the wrong digest).
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-regfault.XXXXXX)
PORT=$((25000 + $$ % 20000))
R="$WORK/www/v2"
mkdir -p "$R"
busybox httpd -f -p "127.0.0.1:$PORT" -h "$WORK/www" 2>/dev/null &
HP=$!
trap 'kill $HP 2>/dev/null; rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# repo NAME with a config and one layer; $2: what to do to the layer
mkrepo() {
  d="$R/$1"
  mkdir -p "$d/manifests" "$d/blobs"
  printf 'layer bytes for %s\n' "$1" > "$WORK/layer"
  gzip -n < "$WORK/layer" > "$WORK/layer.gz"
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(sha "$WORK/layer")" > "$WORK/config"
  L=$(sha "$WORK/layer.gz")
  C=$(sha "$WORK/config")
  cp "$WORK/config" "$d/blobs/sha256:$C"
  case "$2" in
    corrupt) sed 's/./X/' "$WORK/layer.gz" > "$d/blobs/sha256:$L" ;;
    truncate) head -c 10 "$WORK/layer.gz" > "$d/blobs/sha256:$L" ;;
    *) cp "$WORK/layer.gz" "$d/blobs/sha256:$L" ;;
  esac
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]%s}' \
    "$C" "$(wc -c < "$WORK/config")" "$L" "$(wc -c < "$WORK/layer.gz")" \
    "$( [ "$2" = ambiguous ] && printf ',"manifests":[]')" > "$d/manifests/latest"
  LAYER=$L
}
sleep 0.3
mkrepo good ok
"$MDOCK" pull -q "127.0.0.1:$PORT/good" >/dev/null 2>"$WORK/err" || bad "the good image: $(cat "$WORK/err")"
for fault in corrupt truncate ambiguous; do
  mkrepo "$fault" "$fault"
  if "$MDOCK" pull -q "127.0.0.1:$PORT/$fault" >/dev/null 2>"$WORK/err"; then
    bad "$fault: the pull succeeded"
  fi
  case $fault in
    ambiguous) grep -q "ambiguous" "$WORK/err" || bad "$fault: $(cat "$WORK/err")" ;;
    *) grep -q "digest mismatch" "$WORK/err" || bad "$fault: $(cat "$WORK/err")"
       [ -e "$MDOCK_ROOT/blobs/sha256/$LAYER" ] && bad "$fault: a bad blob was stored" ;;
  esac
  "$MDOCK" fsck > "$WORK/fsck" || bad "$fault: fsck: $(tail -2 "$WORK/fsck")"
done
echo "registry faults: $fail failed"
[ $fail -eq 0 ]
