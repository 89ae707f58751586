#!/bin/sh
# keys.sh - time to compute cache keys for a build context of 20,000 files /
# 500 MB: first run (no stat cache: every file read and hashed) and re-run
# with the stat cache warm (stat only).  The peer in the same run is what a
# builder that re-sends its context does on every build: tar the context and
# hash the stream (`tar -c | sha256sum`).  The OS page cache is warm for all
# of them (the files were just written), so the first run is CPU-bound.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MDOCK=${MDOCK:-$ROOT/build/mdock}
NFILES=${NFILES:-20000}
MB=${MB:-500}
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/mdock-bench-keys}

[ -x "$MDOCK" ] || make -C "$ROOT" all >/dev/null
if [ ! -f "$WORK/.done-$NFILES-$MB" ]; then
  rm -rf "$WORK"
  mkdir -p "$WORK/ctx"
  python3 - "$WORK/ctx" "$NFILES" "$MB" <<'PY'
import os, sys
root, n, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = mb * 1000 * 1000 // n
block = os.urandom(1 << 20)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 200))
    os.makedirs(d, exist_ok=True)
    off = (i * 7919) % ((1 << 20) - size) if size < (1 << 20) else 0
    with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
        f.write(i.to_bytes(8, "little") + block[off:off + size - 8])
PY
  printf 'FROM scratch\nCOPY . /app/\n' > "$WORK/ctx/Dockerfile"
  sleep 1   # leave the racy window of the file writes
  touch "$WORK/.done-$NFILES-$MB"
fi
BYTES=$(du -sb "$WORK/ctx" | cut -f1)

now_ns() { date +%s%N; }
ms() { echo "$1" | awk '{printf "%.1f", $1 / 1e6}'; }

# first run: a fresh state directory, so no stat cache
best_cold=0
i=0
while [ $i -lt "$RUNS" ]; do
  rm -rf "$WORK/state"
  t0=$(now_ns)
  MDOCK_ROOT="$WORK/state" "$MDOCK" ir "$WORK/ctx" > /dev/null
  t1=$(now_ns)
  d=$((t1 - t0))
  if [ $best_cold -eq 0 ] || [ $d -lt $best_cold ]; then best_cold=$d; fi
  i=$((i + 1))
done
# warm: the stat cache from the last cold run
best_warm=0
i=0
while [ $i -lt "$RUNS" ]; do
  t0=$(now_ns)
  MDOCK_ROOT="$WORK/state" "$MDOCK" ir "$WORK/ctx" > /dev/null
  t1=$(now_ns)
  d=$((t1 - t0))
  if [ $best_warm -eq 0 ] || [ $d -lt $best_warm ]; then best_warm=$d; fi
  i=$((i + 1))
done
stats=$(MDOCK_ROOT="$WORK/state" "$MDOCK" ir -v "$WORK/ctx" 2>&1 >/dev/null |
        grep 'mdock: context' || true)
best_peer=0
i=0
while [ $i -lt "$RUNS" ]; do
  t0=$(now_ns)
  tar -C "$WORK/ctx" -cf - . | sha256sum > /dev/null
  t1=$(now_ns)
  d=$((t1 - t0))
  if [ $best_peer -eq 0 ] || [ $d -lt $best_peer ]; then best_peer=$d; fi
  i=$((i + 1))
done

echo "context: $NFILES files, $((BYTES / 1000000)) MB; best of $RUNS runs, whole process"
echo "$stats"
echo
echo "| run | time | vs tar -c \\| sha256sum |"
echo "|---|---|---|"
echo "| mdock ir, first run (no stat cache) | $(ms $best_cold) ms | $(awk -v p=$best_peer -v m=$best_cold 'BEGIN{printf "%.1fx", p/m}') |"
echo "| mdock ir, stat cache warm | $(ms $best_warm) ms | $(awk -v p=$best_peer -v m=$best_warm 'BEGIN{printf "%.1fx", p/m}') |"
echo "| tar -c . \\| sha256sum (peer) | $(ms $best_peer) ms | 1.0x |"
