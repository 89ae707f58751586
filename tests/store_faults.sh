#!/bin/sh
# store_faults.sh - what must hold for the store whatever happens:
#  1. reproducibility: one build in two directories, with other file mtimes
#     and another umask, SOURCE_DATE_EPOCH set, gives the same manifest
#     digest (gzip and zstd);
#  2. SIGKILL at random points of 20 builds leaves a store `mdock fsck`
#     calls clean, and the next build succeeds;
#  3. a flipped byte in a blob is found by fsck and by the next read;
#  4. two builds writing one store at once both succeed.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-faults.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# --- 1. reproducibility ---
mkctx() { # dir
  mkdir -p "$1/src/sub"
  printf 'alpha\n' > "$1/src/a.txt"
  printf 'beta\n' > "$1/src/sub/b.txt"
  head -c 300000 /dev/zero | tr '\0' 'x' > "$1/src/big"
  chmod 0644 "$1/src/a.txt" "$1/src/sub/b.txt" "$1/src/big"
  chmod 0755 "$1/src" "$1/src/sub"
  cat > "$1/Dockerfile" <<'EOF'
FROM scratch AS base
COPY src /app/
WORKDIR /app/run
FROM base
COPY --from=base /app/a.txt /copy
ENV MODE=prod
CMD ["/app/run"]
EOF
}
export SOURCE_DATE_EPOCH=1700000000
mkctx "$WORK/r1"
mkctx "$WORK/r2"
touch -d '2025-06-01 12:00' "$WORK/r2/src/a.txt" "$WORK/r2/src/sub/b.txt"
touch -d '2024-02-02 08:00' "$WORK/r2/src/big" "$WORK/r2/src"
# the manifest digest of a build (build -q prints the image ID, the config's
# digest, which the compression does not change)
manifest() {
  (cd "$1" && umask "$2" && MDOCK_ROOT="$3" "$MDOCK" build -q -t repro --compression "$4" . >/dev/null) &&
    MDOCK_ROOT="$3" "$MDOCK" inspect repro | jq -r '.[0].Descriptor.digest'
}
for comp in gzip zstd; do
  d1=$(manifest "$WORK/r1" 022 "$WORK/s1" $comp)
  d2=$(manifest "$WORK/r2" 077 "$WORK/s2" $comp)
  if [ -z "$d1" ] || [ "$d1" != "$d2" ]; then
    bad "reproducibility ($comp): '$d1' vs '$d2'"
  else
    echo "reproducible ($comp): $d1"
  fi
done
[ "$d1" != "$(manifest "$WORK/r1" 022 "$WORK/s1" gzip)" ] ||
  bad "gzip and zstd builds have the same digest"
unset SOURCE_DATE_EPOCH

# --- 2. SIGKILL at random points ---
export MDOCK_ROOT="$WORK/kill-store"
K="$WORK/kill"
mkdir -p "$K/data"
i=0
while [ $i -lt 24 ]; do
  head -c 1500000 /dev/urandom > "$K/data/f$i"
  i=$((i + 1))
done
printf 'FROM scratch\nCOPY data /d1/\nCOPY data /d2/\nCOPY data/f1 /one\n' > "$K/Dockerfile"
t0=$(date +%s%N)
(cd "$K" && "$MDOCK" build -q --no-cache -t victim . >/dev/null) || bad "the unkilled build failed"
t1=$(date +%s%N)
dur_ms=$(( (t1 - t0) / 1000000 ))
[ $dur_ms -lt 20 ] && dur_ms=20
killed=0
clean=0
for delay in $(seeded_delays 20 "$(awk -v d=$dur_ms 'BEGIN { print d / 1000 }')" 7); do
  kill_at "$delay" sh -c "cd '$K' && exec '$MDOCK' build -q --no-cache -t victim ."
  killed=$((killed + KILLED))
  if "$MDOCK" fsck > "$WORK/fsck.txt" 2>&1; then
    clean=$((clean + 1))
  else
    bad "fsck after a kill at ${delay}s: $(tail -3 "$WORK/fsck.txt")"
  fi
done
echo "kill -9: 20 builds, $killed killed mid-way, fsck clean after $clean"
(cd "$K" && "$MDOCK" build -q -t victim . >/dev/null) || bad "the build after the kills failed"
"$MDOCK" prune > /dev/null || bad "prune failed"
"$MDOCK" fsck > "$WORK/fsck.txt" || bad "fsck after prune: $(tail -2 "$WORK/fsck.txt")"
grep -q " 0 leftovers" "$WORK/fsck.txt" || bad "prune left temporary files: $(tail -1 "$WORK/fsck.txt")"

# --- 3. a flipped byte ---
blob=$(ls -S "$MDOCK_ROOT/blobs/sha256" | head -1)
printf 'X' | dd of="$MDOCK_ROOT/blobs/sha256/$blob" bs=1 seek=100 conv=notrunc 2>/dev/null
if "$MDOCK" fsck > "$WORK/fsck.txt" 2>&1; then
  bad "fsck missed a flipped byte"
elif ! grep -q "corrupt: blob sha256:$blob" "$WORK/fsck.txt"; then
  bad "fsck did not name the corrupt blob: $(head -2 "$WORK/fsck.txt")"
fi
if "$MDOCK" export victim --output "type=local,dest=$WORK/out" 2>"$WORK/err"; then
  bad "reading a corrupt blob succeeded"
elif ! grep -q "corrupt" "$WORK/err"; then
  bad "the read error does not say corrupt: $(cat "$WORK/err")"
else
  echo "flipped byte: found by fsck and by the next read"
fi

# --- 4. two builds, one store ---
export MDOCK_ROOT="$WORK/shared-store"
mkdir -p "$WORK/c1" "$WORK/c2"
cp -r "$K/data" "$WORK/c1/"
cp -r "$K/data" "$WORK/c2/"
printf 'FROM scratch\nCOPY data /d/\nENV WHO=one\n' > "$WORK/c1/Dockerfile"
printf 'FROM scratch\nCOPY data /d/\nCOPY data/f2 /x\nENV WHO=two\n' > "$WORK/c2/Dockerfile"
(cd "$WORK/c1" && "$MDOCK" build -q -t one . > "$WORK/o1" 2>&1) &
p1=$!
(cd "$WORK/c2" && "$MDOCK" build -q -t two . > "$WORK/o2" 2>&1) &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
if [ $r1 -ne 0 ] || [ $r2 -ne 0 ]; then
  bad "concurrent builds: $r1 $r2: $(cat "$WORK/o1" "$WORK/o2")"
elif ! "$MDOCK" fsck > "$WORK/fsck.txt"; then
  bad "fsck after concurrent builds: $(tail -2 "$WORK/fsck.txt")"
else
  echo "concurrent builds: both succeeded, store clean"
fi
echo "store faults: $fail failed"
[ $fail -eq 0 ]
