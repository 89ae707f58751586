#!/bin/sh
# differential.sh - the same Dockerfile built by buildah (the peer builder:
# vfs storage, chroot isolation) and by mdock gives the same files, modes,
# owners, sizes and links, and the same image config (Env, Cmd, Entrypoint,
# WorkingDir, User, Labels, ExposedPorts, Volumes).  Cases are those of
# testdata/build whose features buildah 1.28 has (no heredocs, --parents,
# --exclude, ONBUILD of images): a case opts out with a file `no-buildah`.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v buildah >/dev/null; then
  echo "differential: buildah is missing (make deps)"
  exit 1
fi
# lower case: buildah names a pulled layout after its path
WORK=/tmp/mdock-diff-$$
rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
export MDOCK_ROOT="$WORK/store"
export SOURCE_DATE_EPOCH=1700000000
BH="buildah --root $WORK/buildah --runroot $WORK/run --storage-driver vfs"
cleanup() { $BH rmi -a -f >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
pass=0
fail=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# the runtime config, normalized: WorkingDir "/" is no WorkingDir and
# ArgsEscaped is dropped (BuildKit's empty image has "/" and every CMD sets
# ArgsEscaped, which mdock follows and buildah does not; the BuildKit test,
# buildkit_history.sh, checks both); Docker's empty fields and buildah's own
# label and hostname dropped; Env compared as a set (buildah moves a
# redefined variable to the end, BuildKit and mdock keep its place); an
# EXPOSE range as its ports (buildah 1.28 keeps "9000-9001/tcp", BuildKit
# writes one entry per port, as the reference says)
norm() {
  jq -S -c 'with_entries(select(.value != false and .value != "" and
                                .value != [] and .value != {} and
                                .value != null))
            | del(.Hostname)
            | if .WorkingDir == "/" then del(.WorkingDir) else . end
            | del(.ArgsEscaped)
            | if .Labels then .Labels |= del(."io.buildah.version") else . end
            | if .Labels == {} then del(.Labels) else . end
            | if .Env then .Env |= sort else . end
            | if .ExposedPorts then .ExposedPorts |= (to_entries
                | map(.key as $k | ($k | split("/")) as [$p, $proto]
                      | if ($p | test("-"))
                        then ($p | split("-") | map(tonumber)) as [$a, $b]
                             | [range($a; $b + 1)
                                | {key: "\(.)/\($proto)", value: {}}]
                        else [{key: $k, value: {}}] end)
                | add | from_entries) else . end'
}

# the same base image in both builders
B="$WORK/base"
base_context "$B"
(cd "$B" && "$MDOCK" build -q -t base-image:test . >/dev/null) || exit 1
"$MDOCK" export base-image:test --output "type=oci,tar=false,dest=$WORK/base-oci" || exit 1
$BH pull -q "oci:$WORK/base-oci:base-image:test" >"$WORK/pull.log" 2>&1 &&
  $BH tag "$(tail -1 "$WORK/pull.log")" localhost/base-image:test >/dev/null 2>&1 || {
  echo "differential: cannot give buildah the base image: $(tail -2 "$WORK/pull.log")"; exit 1; }

# and the busybox image of the RUN cases
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t busybox:test . >/dev/null) || exit 1
"$MDOCK" export busybox:test --output "type=oci,tar=false,dest=$WORK/bb-oci" || exit 1
$BH pull -q "oci:$WORK/bb-oci:busybox:test" >"$WORK/pull.log" 2>&1 &&
  $BH tag "$(tail -1 "$WORK/pull.log")" localhost/busybox:test >/dev/null 2>&1 || {
  echo "differential: cannot give buildah the busybox image: $(tail -2 "$WORK/pull.log")"; exit 1; }

bh_bud() {
  (cd "$1" && $BH bud --isolation chroot --format docker \
     --timestamp 1700000000 -t "localhost/$2:b" . >"$WORK/b.log" 2>&1)
}

for c in "$HERE"/testdata/build/*/; do
  c=${c%/}
  name=$(basename "$c")
  [ -f "$c/no-buildah" ] || [ -f "$c/error.expected" ] && continue
  [ -f "$c/pre.Dockerfile" ] && continue
  # buildah is the peer, not the code under test: a RUN of its that fails
  # once (seen once on a CI machine, never reproduced) is retried once and
  # said; failing twice is a failure, with its whole log
  if ! bh_bud "$c/ctx" "$name"; then
    echo "note $name: buildah failed once, retrying: $(tail -8 "$WORK/b.log")"
    if ! bh_bud "$c/ctx" "$name"; then
      bad "$name" "buildah failed twice: $(tail -20 "$WORK/b.log")"
      continue
    fi
  fi
  rm -rf "$WORK/boci" "$WORK/bun" "$WORK/mroot" "$WORK/b.tar"
  $BH push -q "localhost/$name:b" "oci:$WORK/boci:b" >/dev/null 2>&1 &&
    umoci unpack --image "$WORK/boci:b" "$WORK/bun" >/dev/null 2>&1 &&
    $BH push -q --format v2s2 "localhost/$name:b" \
      "docker-archive:$WORK/b.tar:cmp-$name:b" >/dev/null 2>&1 &&
    "$MDOCK" import "docker-archive:$WORK/b.tar" "cmp-$name:b" >/dev/null || {
    bad "$name" "cannot unpack buildah's image"; continue; }
  (cd "$c/ctx" && "$MDOCK" build -q -t "$name:m" . >/dev/null) || {
    bad "$name" "mdock failed"; continue; }
  "$MDOCK" export "$name:m" --output "type=local,dest=$WORK/mroot"
  # buildah 1.28 leaves the stubs of its RUN mounts in the image; BuildKit
  # (and mdock) remove them (BuildKit's MountStubsCleaner): a documented
  # difference, so empty stubs are left out of the comparison
  tree_listing "$WORK/bun/rootfs" |
    grep -v -E '^\./(dev|proc|sys|run) d|^\./etc/(hosts|hostname|resolv\.conf) -rwxr-xr-x 0:0 0$' \
    > "$WORK/b.txt"
  # a case's own documented differences (buildah.ignore: one regex per
  # line, with the reason in a comment line above it)
  if [ -f "$c/buildah.ignore" ]; then
    grep -v '^#' "$c/buildah.ignore" > "$WORK/ign"
    grep -v -E -f "$WORK/ign" "$WORK/b.txt" > "$WORK/b2.txt"
    mv "$WORK/b2.txt" "$WORK/b.txt"
  fi
  tree_listing "$WORK/mroot" > "$WORK/m.txt"
  ok=1
  if ! diff -u "$WORK/b.txt" "$WORK/m.txt" > "$WORK/d.txt"; then
    bad "$name" "files differ (- buildah, + mdock):"
    head -20 "$WORK/d.txt"
    ok=0
  fi
  bc=$("$MDOCK" inspect --format config "cmp-$name:b" | norm)
  mc=$("$MDOCK" inspect --format config "$name:m" | norm)
  if [ "$bc" != "$mc" ]; then
    bad "$name" "config differs: buildah $bc / mdock $mc"
    ok=0
  fi
  [ $ok = 1 ] && pass=$((pass + 1))
done
echo "differential (buildah): $pass same, $fail differ"
[ $fail -eq 0 ] && [ $pass -ge 20 ]
