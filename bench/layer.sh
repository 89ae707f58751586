#!/bin/sh
# layer.sh - writing a layer from a 500 MB / 20,000-file tree: mdock (tar +
# compression + both digests, into its store) next to `tar | gzip -6` and
# `tar | zstd -T2 -3` in the same run (best of N, whole process, page cache
# warm).  The tree is slices of this machine's own libraries and docs, so
# it compresses like real image content (not random bytes, not zeros).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MDOCK=${MDOCK:-$ROOT/build/mdock}
NFILES=${NFILES:-20000}
MB=${MB:-500}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/mdock-bench-layer}

[ -x "$MDOCK" ] || make -C "$ROOT" all >/dev/null
if [ ! -f "$WORK/.done-$NFILES-$MB" ]; then
  rm -rf "$WORK"
  mkdir -p "$WORK/tree"
  python3 - "$WORK/tree" "$NFILES" "$MB" <<'PY'
import os, sys
root, n, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seed = bytearray()
for top in ("/usr/lib/x86_64-linux-gnu", "/usr/share/doc", "/usr/include",
            "/usr/bin"):
    for d, _, fs in os.walk(top):
        for f in sorted(fs):
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            try:
                with open(p, "rb") as h:
                    seed += h.read(4 << 20)
            except OSError:
                pass
            if len(seed) >= 96 << 20:
                break
        if len(seed) >= 96 << 20:
            break
    if len(seed) >= 96 << 20:
        break
seed = bytes(seed)
total = mb * 1000 * 1000
for i in range(n):
    # sizes from small to large, as in real trees; mean total / n
    size = max(64, int((total / n) * (0.25 + 1.5 * ((i * 7919) % 1000) / 1000)))
    off = (i * 104729) % (len(seed) - size)
    d = os.path.join(root, "d%03d" % (i % 200), "s%02d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(seed[off:off + size])
PY
  touch "$WORK/.done-$NFILES-$MB"
fi
BYTES=$(du -sb "$WORK/tree" | cut -f1)
STORE="$WORK/store"

# best wall time (ns) of RUNS runs of "$@"; the output size of the last run
# and the peak RSS (KB) of the last run land in $WORK/size and $WORK/rss
best() {
  b=0
  i=0
  while [ $i -lt "$RUNS" ]; do
    rm -rf "$STORE" "$WORK/out"
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$WORK/rss" sh -c "$1" >/dev/null
    t1=$(date +%s%N)
    d=$((t1 - t0))
    if [ $b -eq 0 ] || [ $d -lt $b ]; then b=$d; fi
    i=$((i + 1))
  done
  echo $b
}
size_of_store() { du -sb "$STORE/blobs" | cut -f1; }

T_MG=$(best "MDOCK_ROOT=$STORE $MDOCK layer --compression gzip $WORK/tree")
S_MG=$(size_of_store); R_MG=$(cat "$WORK/rss")
T_MZ=$(best "MDOCK_ROOT=$STORE $MDOCK layer --compression zstd $WORK/tree")
S_MZ=$(size_of_store); R_MZ=$(cat "$WORK/rss")
T_G=$(best "tar -cf - -C $WORK/tree . | gzip -6 > $WORK/out")
S_G=$(stat -c %s "$WORK/out")
T_Z=$(best "tar -cf - -C $WORK/tree . | zstd -q -T2 -3 > $WORK/out")
S_Z=$(stat -c %s "$WORK/out")

awk -v b="$BYTES" -v n="$NFILES" -v r="$RUNS" \
    -v tmg="$T_MG" -v smg="$S_MG" -v rmg="$R_MG" \
    -v tmz="$T_MZ" -v smz="$S_MZ" -v rmz="$R_MZ" \
    -v tg="$T_G" -v sg="$S_G" -v tz="$T_Z" -v sz="$S_Z" 'BEGIN {
  printf "tree: %d files, %.0f MB; best of %d runs, whole process\n\n", n, b / 1e6, r
  printf "| writer | time | MB/s | output | vs peer | peak RSS |\n|---|---|---|---|---|---|\n"
  printf "| mdock layer (gzip, libdeflate -6, both cores) | %.2f s | %.0f | %.1f MB | %.2fx faster, %+.1f%% size | %.1f MB |\n", tmg/1e9, b/1e6/(tmg/1e9), smg/1e6, tg/tmg, (smg/sg - 1) * 100, rmg/1024
  printf "| tar \\| gzip -6 (peer) | %.2f s | %.0f | %.1f MB | 1.00x | - |\n", tg/1e9, b/1e6/(tg/1e9), sg/1e6
  printf "| mdock layer (zstd -3, 2 workers) | %.2f s | %.0f | %.1f MB | %.2fx the time, %+.1f%% size | %.1f MB |\n", tmz/1e9, b/1e6/(tmz/1e9), smz/1e6, tmz/tz, (smz/sz - 1) * 100, rmz/1024
  printf "| tar \\| zstd -T2 -3 (peer) | %.2f s | %.0f | %.1f MB | 1.00x | - |\n", tz/1e9, b/1e6/(tz/1e9), sz/1e6
}'
