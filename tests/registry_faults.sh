#!/bin/sh
# registry_faults.sh - a registry that lies: a fake one (static files under
# busybox httpd on loopback) serves a blob whose bytes do not match its
# digest, a truncated blob, and a manifest that is also an index.  Each
# pull is an error naming the problem, and the store stays consistent
# (fsck clean, nothing stored under the wrong digest, tmp empty).  Also:
# a blob longer than its manifest says (cut off as it arrives), a layer
# size no image has, duplicate keys in a manifest, and an index entry
# whose manifest the registry swapped for other bytes.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-regfault.XXXXXX)
PORT=$(free_port $((25000 + $$ % 20000)))
R="$WORK/www/v2"
mkdir -p "$R"
busybox httpd -f -p "127.0.0.1:$PORT" -h "$WORK/www" 2>/dev/null &
HP=$!
trap 'kill $HP 2>/dev/null; rm -rf "$WORK"' EXIT
# the server listens before the first pull (on a busy machine the pulls
# once raced it: "Couldn't connect to server")
_i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; [ $? -ne 7 ]; do
  _i=$((_i + 1))
  [ $_i -gt 100 ] && { echo "registry faults: busybox httpd did not start"; exit 1; }
  sleep 0.05
done
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
  LSIZE=$(wc -c < "$WORK/layer.gz")
  case "$2" in
    corrupt) sed 's/./X/' "$WORK/layer.gz" > "$d/blobs/sha256:$L" ;;
    truncate) head -c 10 "$WORK/layer.gz" > "$d/blobs/sha256:$L" ;;
    long)     # the served blob goes on past the size the manifest gives
      { cat "$WORK/layer.gz"; head -c 100000 /dev/zero; } > "$d/blobs/sha256:$L" ;;
    hugesize) cp "$WORK/layer.gz" "$d/blobs/sha256:$L"; LSIZE=1000000000000000 ;;
    *) cp "$WORK/layer.gz" "$d/blobs/sha256:$L" ;;
  esac
  extra=
  [ "$2" = ambiguous ] && extra=',"manifests":[]'
  # two "config" keys: parsers that keep the first and the last disagree
  [ "$2" = dupkeys ] && extra=',"config":{"digest":"sha256:'"$L"'","size":1}'
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]%s}' \
    "$C" "$(wc -c < "$WORK/config")" "$L" "$LSIZE" "$extra" > "$d/manifests/latest"
  LAYER=$L
}
sleep 0.3
mkrepo good ok
"$MDOCK" pull -q "127.0.0.1:$PORT/good" >/dev/null 2>"$WORK/err" || bad "the good image: $(cat "$WORK/err")"
for fault in corrupt truncate ambiguous long hugesize dupkeys; do
  mkrepo "$fault" "$fault"
  if "$MDOCK" pull -q "127.0.0.1:$PORT/$fault" >/dev/null 2>"$WORK/err"; then
    bad "$fault: the pull succeeded"
  fi
  case $fault in
    ambiguous) want="ambiguous" ;;
    long) want="more than the $LSIZE bytes the manifest gives" ;;
    hugesize) want="impossible size" ;;
    dupkeys) want="not a JSON object" ;;
    *) want="digest mismatch" ;;
  esac
  grep -q "$want" "$WORK/err" || bad "$fault: $(cat "$WORK/err")"
  [ -e "$MDOCK_ROOT/blobs/sha256/$LAYER" ] && bad "$fault: a bad blob was stored"
  [ -z "$(ls -A "$MDOCK_ROOT/tmp" 2>/dev/null)" ] || bad "$fault: files left in tmp"
  "$MDOCK" fsck > "$WORK/fsck" || bad "$fault: fsck: $(tail -2 "$WORK/fsck")"
done
# an index whose linux/amd64 entry names a digest the registry's manifest
# does not have: the swapped manifest is refused
mkrepo swapped ok
M=$(sha "$R/swapped/manifests/latest")
MS=$(wc -c < "$R/swapped/manifests/latest")
mv "$R/swapped/manifests/latest" "$R/swapped/manifests/sha256:$M"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"os":"linux","architecture":"amd64"}}]}' \
  "$M" "$MS" > "$R/swapped/manifests/latest"
"$MDOCK" pull -q "127.0.0.1:$PORT/swapped" >/dev/null 2>"$WORK/err" ||
  bad "swapped, before the swap: $(cat "$WORK/err")"
printf ' ' >> "$R/swapped/manifests/sha256:$M"     # still JSON, other bytes
export MDOCK_ROOT="$WORK/store-swapped"
"$MDOCK" pull -q "127.0.0.1:$PORT/swapped" >/dev/null 2>"$WORK/err" && bad "swapped: the pull succeeded"
grep -q "the registry sent sha256:.* for sha256:$M: refused" "$WORK/err" || bad "swapped: $(cat "$WORK/err")"
"$MDOCK" fsck > "$WORK/fsck" || bad "swapped: fsck: $(tail -2 "$WORK/fsck")"
echo "registry faults: $fail failed"
[ $fail -eq 0 ]
