#!/bin/sh
# registry.sh - pull and push of a 300 MB, 10-layer image against Debian's
# docker-registry on loopback, mdock next to skopeo copy in the same run
# (best of RUNS, whole process), and a repeat push of an unchanged image.
# Cold pushes go to a registry emptied before each run, so neither tool can
# skip or mount a blob; warm pushes go to a new repository of a registry
# that has the blobs (mdock mounts them, skopeo's blob cache does too).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MDOCK=${MDOCK:-$ROOT/build/mdock}
RUNS=${RUNS:-3}
W=/tmp/mdock-bench-registry
PORT=${PORT:-35999}
[ -x "$MDOCK" ] || make -C "$ROOT" all >/dev/null
rm -rf "$W"
mkdir -p "$W/data" "$W/ctx"
cat > "$W/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $W/data
http:
  addr: 127.0.0.1:$PORT
EOF
start_reg() {
  docker-registry serve "$W/config.yml" >/dev/null 2>&1 &
  RP=$!
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/"; do sleep 0.1; done
}
# an empty registry: the cold pushes' reset
empty_reg() {
  kill $RP 2>/dev/null; wait $RP 2>/dev/null || true
  rm -rf "$W/data"; mkdir -p "$W/data"
  start_reg
}
start_reg
trap 'kill $RP 2>/dev/null' EXIT
# 10 layers of about 30 MB compressed: image-like files that compress, and
# 19 MB of random bytes each that do not
SRC=/tmp/mdock-bench-layer/tree
[ -d "$SRC" ] || sh "$HERE/layer.sh" >/dev/null
i=0
{ echo "FROM scratch"; while [ $i -lt 10 ]; do echo "COPY part$i /part$i/"; i=$((i + 1)); done; } > "$W/ctx/Dockerfile"
# part i: 12 of the tree's directories (about 30 MB each)
i=0
for d in $(ls "$SRC" | head -120); do
  p=$((i / 12))
  mkdir -p "$W/ctx/part$p"
  cp -r "$SRC/$d" "$W/ctx/part$p/"
  i=$((i + 1))
done
p=0
while [ $p -lt 10 ]; do
  head -c 19000000 /dev/urandom > "$W/ctx/part$p/random.bin"
  p=$((p + 1))
done
export MDOCK_ROOT="$W/store"
"$MDOCK" build -q -t bench/big "$W/ctx" >/dev/null
"$MDOCK" export bench/big --output "type=oci,tar=false,dest=$W/oci"
SIZE=$(du -sb "$W/oci/blobs" | cut -f1)
ns() { date +%s%N; }
best() {   # best of RUNS for command $1, running $2 before each
  b=0; k=0
  while [ $k -lt "$RUNS" ]; do
    eval "$2" >/dev/null 2>&1 || true
    t0=$(ns); sh -c "$1" >/dev/null 2>&1 || { echo "bench: failed: $1" >&2; exit 1; }; t1=$(ns)
    d=$((t1 - t0)); if [ $b -eq 0 ] || [ $d -lt $b ]; then b=$d; fi; k=$((k + 1))
  done
  echo $b
}
R="127.0.0.1:$PORT"
# cold push: into an empty registry
cmp=$(best "MDOCK_ROOT=$W/store $MDOCK push -q bench/big $R/cold:1" "empty_reg")
csp=$(best "skopeo copy -q --dest-tls-verify=false oci:$W/oci:bench/big:latest docker://$R/cold:1" "empty_reg")
# warm push: a new repository of a registry that has the blobs
"$MDOCK" push -q bench/big "$R/seed:1" >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$W/oci:bench/big:latest" "docker://$R/seedskopeo:1" >/dev/null
mp=$(best "MDOCK_ROOT=$W/store $MDOCK push -q bench/big $R/m\$(date +%N):1" "true")
sp=$(best "skopeo copy -q --dest-tls-verify=false oci:$W/oci:bench/big:latest docker://$R/s\$(date +%N):1" "true")
"$MDOCK" push -q bench/big "$R/repeat:1" >/dev/null
rp=$(best "MDOCK_ROOT=$W/store $MDOCK push -q bench/big $R/repeat:1" "true")
# pull: into an empty store / layout each time
mpl=$(best "MDOCK_ROOT=$W/pullstore $MDOCK pull -q $R/repeat:1" "rm -rf $W/pullstore")
spl=$(best "skopeo copy -q --src-tls-verify=false docker://$R/repeat:1 oci:$W/pulloci:x" "rm -rf $W/pulloci")
awk -v s=$SIZE -v cmp=$cmp -v csp=$csp -v mp=$mp -v sp=$sp -v rp=$rp -v mpl=$mpl -v spl=$spl 'BEGIN {
  printf "image: %.0f MB in 10 layers; loopback docker-registry\n\n", s/1e6
  printf "| transfer | mdock | skopeo copy | mdock is |\n|---|---|---|---|\n"
  printf "| push, cold (empty registry) | %.2f s | %.2f s | %.2fx the time |\n", cmp/1e9, csp/1e9, cmp/csp
  printf "| push, warm (blobs in another repository) | %.2f s | %.2f s | %.2fx the time |\n", mp/1e9, sp/1e9, mp/sp
  printf "| pull | %.2f s | %.2f s | %.2fx the time |\n", mpl/1e9, spl/1e9, mpl/spl
  printf "| repeat push, unchanged | %.0f ms | - | - |\n", rp/1e6
}'
