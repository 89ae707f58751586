#!/bin/sh
# kill_points.sh - 200 kill -9 points across builds, pulls and pushes, at
# delays drawn from a fixed seed over each operation's own running time:
# after every kill the store is consistent (`mdock fsck` clean), and after
# all of them the operation succeeds (the image a skopeo can read back, for
# the push).  The registry is Debian's docker-registry on loopback.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SEED=${KILL_SEED:-20261201}
command -v docker-registry >/dev/null || { echo "kill points: docker-registry is missing (make deps)"; exit 1; }
WORK=$(mktemp -d /tmp/mdock-kill.XXXXXX)
PORT=$(free_port $((33000 + $$ % 15000)))
RP=
trap '[ -n "$RP" ] && kill $RP 2>/dev/null; rm -rf "$WORK"' EXIT
start_registry "$WORK/reg" "$PORT" || exit 1
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
R="127.0.0.1:$PORT"

# an image worth interrupting: busybox and 4 MB that do not compress
busybox_context "$WORK/ctx"
head -c 4000000 /dev/urandom > "$WORK/ctx/noise"
printf 'FROM scratch\nCOPY . /\nRUN ["/bin/sh", "-c", "cat /noise /noise > /twice"]\nCMD ["sh"]\n' > "$WORK/ctx/Dockerfile"
export MDOCK_ROOT="$WORK/seed"
(cd "$WORK/ctx" && "$MDOCK" build -q -t victim . >/dev/null) || { echo "kill points: the build failed"; exit 1; }
"$MDOCK" push -q victim "$R/victim:1" >/dev/null || { echo "kill points: the push failed"; exit 1; }

now() { date +%s%N; }
# points KIND N COMMAND...: runs COMMAND once to time it, then N times
# killed (a shell wrapper must exec mdock, or only the shell is killed)
points() {
  kind=$1; n=$2; shift 2
  reset_$kind
  t0=$(now)
  "$@" >/dev/null 2>"$WORK/err" || bad "$kind, not killed: $(tail -2 "$WORK/err")"
  t1=$(now)
  span=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 * 1.2 }')
  killed=0; clean=0
  for d in $(seeded_delays "$n" "$span" "$SEED"); do
    reset_$kind
    kill_at "$d" "$@"
    killed=$((killed + KILLED))
    if "$MDOCK" fsck > "$WORK/fsck.txt" 2>&1; then
      clean=$((clean + 1))
    else
      bad "$kind: fsck after a kill at ${d}s: $(tail -3 "$WORK/fsck.txt")"
    fi
  done
  echo "kill points: $n $kind runs (${span} s each), $killed killed mid-way, fsck clean after $clean"
  TOTAL=$((TOTAL + n))
}
TOTAL=0

# builds: into one store, every step rebuilt
export MDOCK_ROOT="$WORK/build-store"
reset_build() { :; }
points build 80 sh -c "cd '$WORK/ctx' && exec '$MDOCK' build -q --no-cache -t victim ."
(cd "$WORK/ctx" && "$MDOCK" build -q -t victim . >/dev/null) || bad "the build after the kills failed"

# pulls: into one store, the image removed before each so it is fetched
export MDOCK_ROOT="$WORK/pull-store"
reset_pull() { "$MDOCK" rmi "$R/victim:1" >/dev/null 2>&1; "$MDOCK" prune >/dev/null 2>&1; }
points pull 60 "$MDOCK" pull -q "$R/victim:1"
"$MDOCK" pull -q "$R/victim:1" >/dev/null || bad "the pull after the kills failed"
"$MDOCK" fsck >/dev/null 2>&1 || bad "fsck after the last pull"

# pushes: from the seed store to new repositories, the store's hints of
# where blobs are removed so that every blob is uploaded, not mounted
export MDOCK_ROOT="$WORK/seed"
reset_push() { rm -f "$MDOCK_ROOT/registry-blobs"; }
points push 60 sh -c "exec '$MDOCK' push -q victim \"$R/pushed-\$(date +%N):1\""
"$MDOCK" push -q victim "$R/pushed-final:1" >/dev/null || bad "the push after the kills failed"
skopeo inspect --tls-verify=false "docker://$R/pushed-final:1" >/dev/null 2>&1 ||
  bad "skopeo cannot read the push after the kills"
echo "kill points: $TOTAL in all (seed $SEED), $fail failed"
[ $fail -eq 0 ]
