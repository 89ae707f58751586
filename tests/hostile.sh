#!/bin/sh
# hostile.sh MDOCK MKTAR - the hostile-input suite: every case under
# testdata/hostile/NAME/ (a `case` file, most with a Dockerfile) runs
# against one store holding a busybox base image, beside a canary
# directory outside every root (context, store, root filesystems, cache
# mounts).  Whatever the case expects -- an error, named, or a build that
# contains the attack -- each must also:
#   - end by itself (no signal, no hang past MAX_S) within MAX_MB of memory;
#   - leave the canary as it was, and create nothing beside the roots;
#   - leave the build context as it was;
#   - leak the canary's token into no new blob of the store and no output;
#   - leave the store consistent (mdock fsck).
#
# A case file is sourced, and sets:
#   EXPECT=ok|error    MSG=text the error must hold (with file:line:col
#   unless LOC=0)      MAX_S, MAX_MB (defaults 60 s, 256 MB)
#   setup()  prepares $CTX (the case directory's files are there already;
#            @CANARY@ and @WORK@ in its Dockerfile are replaced)
#   run()    what to do (default: mdock build -t hostile/NAME $CTX); call
#            mdock through the `mdock` function, which is measured
#   check()  more assertions after the run (non-zero fails)
#   LEAK_OK=1 when the context itself holds canary content (a hard link)
# and can use $CANARY, $TOKEN, $WORK, $MKTAR, mktar, oci_layout.
set -u
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/.." && pwd)
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MKTAR=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
SCALE=1
[ "${MDK_SANITIZED:-0}" = 1 ] && SCALE=3   # ASan's shadow memory and speed
WORK=$(mktemp -d /tmp/mdock-hostile.XXXXXX)
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
CANARY=$WORK/canary
TOKEN="mdock-canary-$$-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
mkdir -p "$CANARY/sub"
echo "$TOKEN" > "$CANARY/secret.txt"
echo "$TOKEN data" > "$CANARY/sub/data.txt"
snapshot() {
  (cd "$1" && find . -printf '%p %y %m %n %s %l\n' | LC_ALL=C sort &&
   find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}
CANARY_SNAP=$(snapshot "$CANARY")

busybox_context "$WORK/bb"
"$MDOCK" build --progress plain -t hostile/base "$WORK/bb" >"$WORK/bb.log" 2>&1 ||
  { echo "hostile: the base image did not build"; cat "$WORK/bb.log"; exit 1; }
rm -rf "$WORK/bb"

mktar() { "$MKTAR" "$@"; }
# oci_layout DIR TAR...: an OCI layout of one image whose layers are the
# TARs (.tar, .tar.gz or .tar.zst), for `mdock import oci:DIR NAME`
oci_layout() {
  _d=$1; shift
  mkdir -p "$_d/blobs/sha256"
  _layers=""; _diffs=""
  for _t in "$@"; do
    _h=$(sha256sum "$_t" | cut -d' ' -f1)
    cp "$_t" "$_d/blobs/sha256/$_h"
    case $_t in
      *.gz) _mt=application/vnd.oci.image.layer.v1.tar+gzip; _u=$(zcat "$_t" | sha256sum | cut -d' ' -f1) ;;
      *.zst) _mt=application/vnd.oci.image.layer.v1.tar+zstd; _u=$(zstd -dc "$_t" | sha256sum | cut -d' ' -f1) ;;
      *) _mt=application/vnd.oci.image.layer.v1.tar; _u=$_h ;;
    esac
    _layers="$_layers${_layers:+,}{\"mediaType\":\"$_mt\",\"digest\":\"sha256:$_h\",\"size\":$(stat -c %s "$_t")}"
    _diffs="$_diffs${_diffs:+,}\"sha256:$_u\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$_diffs" > "$_d/config.json"
  _ch=$(sha256sum "$_d/config.json" | cut -d' ' -f1)
  mv "$_d/config.json" "$_d/blobs/sha256/$_ch"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$_ch" "$(stat -c %s "$_d/blobs/sha256/$_ch")" "$_layers" > "$_d/manifest.json"
  _mh=$(sha256sum "$_d/manifest.json" | cut -d' ' -f1)
  _ms=$(stat -c %s "$_d/manifest.json")
  mv "$_d/manifest.json" "$_d/blobs/sha256/$_mh"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$_d/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s}]}' "$_mh" "$_ms" > "$_d/index.json"
}
# the measured mdock: time and peak memory of every call add up in $TIMES
mdock() {
  timeout -k 5 "$((MAX_S * SCALE))" /usr/bin/time -a -o "$TIMES" -f '%e %M %x' "$MDOCK" "$@"
}

# leaks FILE...: the token in any of them, decompressed when they are
# gzip or zstd streams
leaks() {
  for _f in "$@"; do
    [ -f "$_f" ] || continue
    case $(od -An -tx1 -N4 "$_f" | tr -d ' ') in
      1f8b*) zcat "$_f" 2>/dev/null | grep -a -q -F "$TOKEN" && { echo "$_f"; return 0; } ;;
      28b52ffd) zstd -dc "$_f" 2>/dev/null | grep -a -q -F "$TOKEN" && { echo "$_f"; return 0; } ;;
    esac
    grep -a -q -F "$TOKEN" "$_f" && { echo "$_f"; return 0; }
  done
  return 1
}

: > "$WORK/out"; : > "$WORK/err"; : > "$WORK/times"; : > "$WORK/stamp"
: > "$WORK/fsck"; : > "$WORK/setup.log"; : > "$WORK/check.log"
: > "$WORK/canary.now"; : > "$WORK/canary.diff"
fail=0
n=0
bad() { echo "FAIL: $name: $1"; fail=$((fail + 1)); }
for dir in "$HERE"/testdata/hostile/*/; do
  name=$(basename "$dir")
  # HOSTILE_ONLY=GLOB runs the matching cases alone (while fixing one)
  case $name in ${HOSTILE_ONLY:-*}) ;; *) continue ;; esac
  n=$((n + 1))
  CTX=$WORK/c-$name
  mkdir -p "$CTX"
  cp -a "$dir/." "$CTX/"
  rm -f "$CTX/case"
  [ -f "$CTX/Dockerfile" ] && sed -i "s|@CANARY@|$CANARY|g; s|@WORK@|$WORK|g" "$CTX/Dockerfile"
  EXPECT=ok; MSG=""; LOC=1; MAX_S=60; MAX_MB=256; LEAK_OK=0
  unset -f setup run check 2>/dev/null
  . "$dir/case"
  if type setup >/dev/null 2>&1; then
    (cd "$CTX" && setup) >"$WORK/setup.log" 2>&1 || { bad "setup failed: $(tail -3 "$WORK/setup.log")"; continue; }
  fi
  ctx_snap=$(snapshot "$CTX")
  work_list=$(ls -A "$WORK" | grep -v '^c-')
  TIMES=$WORK/times; : > "$TIMES"
  touch "$WORK/stamp"; sleep 0.01
  if type run >/dev/null 2>&1; then
    (cd "$CTX" && run) >"$WORK/out" 2>"$WORK/err"
  else
    mdock build --progress plain -t "hostile/$name" "$CTX" >"$WORK/out" 2>"$WORK/err"
  fi
  rc=$?
  # no crash, no hang, bounded memory
  if grep -q "signal" "$TIMES" || [ $rc -ge 124 ]; then
    bad "ended by a signal or the time limit (rc $rc): $(cat "$TIMES") $(tail -3 "$WORK/err")"
  fi
  peak=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print int(m / 1024) }' "$TIMES")
  [ "$peak" -le $((MAX_MB * SCALE)) ] || bad "peak memory $peak MB over $((MAX_MB * SCALE)) MB"
  case $EXPECT in
    ok) [ $rc -eq 0 ] || bad "expected success, got rc $rc: $(tail -4 "$WORK/err")" ;;
    error)
      [ $rc -ne 0 ] || bad "expected an error, it succeeded"
      if [ $rc -ne 0 ]; then
        [ -z "$MSG" ] || grep -q -F -- "$MSG" "$WORK/err" || bad "the error does not say '$MSG': $(head -4 "$WORK/err")"
        [ "$LOC" = 0 ] || grep -q -E '^[^ ]+:[0-9]+:[0-9]+: error' "$WORK/err" || bad "the error names no file:line:col: $(head -3 "$WORK/err")"
      fi ;;
  esac
  if type check >/dev/null 2>&1; then
    (cd "$CTX" && check) >"$WORK/check.log" 2>&1 || bad "check: $(tail -3 "$WORK/check.log")"
  fi
  # containment
  [ "$(ls -A "$WORK" | grep -v '^c-')" = "$work_list" ] || bad "created beside the roots: $(ls -A "$WORK" | grep -v '^c-' | tr '\n' ' ')"
  [ "$(snapshot "$CTX")" = "$ctx_snap" ] || bad "the build context changed"
  if [ "$LEAK_OK" != 1 ]; then
    where=$(leaks "$WORK/out" "$WORK/err" $(find "$MDOCK_ROOT" -type f -newer "$WORK/stamp" 2>/dev/null)) &&
      bad "the canary's token leaked into $where"
  fi
  "$MDOCK" fsck >"$WORK/fsck" 2>&1 || bad "fsck: $(tail -3 "$WORK/fsck")"
  find "$CTX" -type d -exec chmod u+rwx {} + 2>/dev/null; rm -rf "$CTX"
  # (after the context goes: a case may hard-link the canary into it)
  snapshot "$CANARY" > "$WORK/canary.now"
  echo "$CANARY_SNAP" | diff - "$WORK/canary.now" > "$WORK/canary.diff" ||
    bad "the canary changed: $(grep '^[<>]' "$WORK/canary.diff" | head -4 | tr '\n' ' ')"
done
[ -n "${HOSTILE_ONLY:-}" ] || [ $n -ge 60 ] || { echo "hostile: only $n cases (the suite promises 60)"; fail=$((fail + 1)); }
if [ $fail -eq 0 ]; then
  echo "hostile: $n cases passed; the canary is untouched"
else
  echo "hostile: $fail failures in $n cases"
  exit 1
fi
