#!/bin/sh
# multiplatform.sh - `--platform linux/amd64,linux/arm64`: one image index,
# RUN of arm64 binaries under QEMU user emulation (binfmt_misc), the
# platform ARGs of a cross-compiling Dockerfile, and the index through a
# registry and back.  The arm64 base is busybox-static for arm64, fetched
# by tools/deps.sh (apt-get download after dpkg --add-architecture arm64):
#   1. an index of two manifests with their platform fields, read by
#      skopeo and (one platform copied out by skopeo) by umoci; each
#      platform's RUN ran its own binaries (uname -m: x86_64, aarch64); the
#      amd64 manifest is the one a single-platform amd64 build makes;
#   2. FROM --platform=$BUILDPLATFORM ... AS build: what the build stage
#      runs without TARGET* runs once (the json events), what uses
#      $TARGETARCH runs once per platform, both natively;
#   3. a platform the machine cannot run fails at the RUN's line with what
#      to install; a base without the platform is an error naming the ones
#      it has; --platform linux/arm64 never gives an amd64 config;
#   4. pushed to Debian's docker-registry on a loopback port and pulled
#      back (mdock, each platform and the list; skopeo): the same digests.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ARM64_BUSYBOX=/var/cache/mdock/arm64/bin/busybox
fail=0
pass=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
ok() { pass=$((pass + 1)); }

[ "$(id -u)" -eq 0 ] || { echo "multiplatform: needs root (binfmt_misc)"; exit 1; }
[ -x "$ARM64_BUSYBOX" ] || { echo "multiplatform: $ARM64_BUSYBOX is missing (make deps)"; exit 1; }
for t in skopeo umoci jq docker-registry; do
  command -v $t >/dev/null || { echo "multiplatform: $t is missing (make deps)"; exit 1; }
done
W=$(mktemp -d /tmp/mdock-mp.XXXXXX)
RP=
trap '[ -n "$RP" ] && kill $RP 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
export MDOCK_ROOT="$W/store"
export SOURCE_DATE_EPOCH=1700000000

# the base: busybox of each architecture under $TARGETARCH/, one build
C="$W/ctx"
for a in amd64 arm64; do
  mkdir -p "$C/$a/bin" "$C/$a/tmp"
  if [ $a = amd64 ]; then cp /bin/busybox "$C/$a/bin/"; else cp "$ARM64_BUSYBOX" "$C/$a/bin/"; fi
  for x in sh uname echo cat; do ln -s busybox "$C/$a/bin/$x"; done
done
printf 'FROM scratch\nARG TARGETARCH\nCOPY $TARGETARCH/ /\nENV PATH=/bin BASEARCH=$TARGETARCH\nCMD ["sh"]\n' > "$W/base.Dockerfile"
"$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/base.Dockerfile" \
  -t mpbase:1 "$C" > "$W/out" 2>&1 || { echo "base build failed: $(tail -3 "$W/out")"; exit 1; }
# the platforms build at once and both save the context's stat cache: no
# warning (two threads once renamed one temp file)
grep -q warning "$W/out" && bad base "$(grep warning "$W/out")" || ok

"$MDOCK" export mpbase:1 -o "type=oci,tar=false,dest=$W/oci-base" > /dev/null

# --- 1. two platforms, RUN on both ------------------------------------
cat > "$W/app.Dockerfile" <<'EOF'
FROM mpbase:1
ARG TARGETPLATFORM
ENV FROMBASE=$BASEARCH
RUN uname -m > /arch
RUN echo "$TARGETPLATFORM" > /target
EOF
if "$MDOCK" build --progress json --platform linux/amd64,linux/arm64 \
     -f "$W/app.Dockerfile" -t mpapp:1 \
     -o "type=oci,tar=false,dest=$W/oci" "$C" > "$W/id" 2> "$W/events"; then
  ok
  IDX=$(jq -r '.manifests[0].digest' "$W/oci/index.json")
  [ "$(jq -r '.manifests[0].mediaType' "$W/oci/index.json")" = application/vnd.oci.image.index.v1+json ] &&
    ok || bad oci "index.json does not name an index: $(cat "$W/oci/index.json")"
  [ "$(cat "$W/id")" = "$IDX" ] && ok || bad id "printed $(cat "$W/id"), the index is $IDX"
  RAW=$(skopeo inspect --raw "oci:$W/oci")
  [ "$(printf '%s' "$RAW" | jq -r '[.manifests[] | .platform.os + "/" + .platform.architecture] | join(",")')" = linux/amd64,linux/arm64 ] &&
    ok || bad index "platforms: $RAW"
  [ "$(printf '%s' "$RAW" | jq '.manifests | length')" = 2 ] && ok || bad index "not two manifests"
  [ "sha256:$(printf '%s' "$RAW" | sha256sum | cut -d' ' -f1)" = "$IDX" ] && ok ||
    bad index "skopeo's raw index is not $IDX"
  for p in amd64:x86_64 arm64:aarch64; do
    a=${p%%:*} m=${p#*:}
    [ "$(skopeo inspect --override-arch $a "oci:$W/oci" | jq -r .Architecture)" = $a ] &&
      ok || bad skopeo "the $a image's config is not $a"
    skopeo copy -q --override-arch $a "oci:$W/oci" "oci:$W/oci-$a:x" >/dev/null 2>&1 ||
      bad skopeo "cannot copy the $a image out"
    if umoci unpack --rootless --image "$W/oci-$a:x" "$W/u-$a" > "$W/umoci" 2>&1; then
      [ "$(cat "$W/u-$a/rootfs/arch")" = $m ] && ok ||
        bad run "the $a RUN's uname -m wrote $(cat "$W/u-$a/rootfs/arch"), not $m"
      [ "$(cat "$W/u-$a/rootfs/target")" = linux/$a ] && ok ||
        bad args "TARGETPLATFORM in the $a image: $(cat "$W/u-$a/rootfs/target")"
    else
      bad umoci "unpack of $a: $(tail -2 "$W/umoci")"
    fi
  done
  # each RUN ran once per platform, named as BuildKit names it
  for a in amd64 arm64; do
    n=$(jq -r "select(.event==\"done\" and .platform==\"linux/$a\") | .name" "$W/events" | grep -c 'RUN uname')
    [ "$n" = 1 ] && ok || bad events "linux/$a: RUN uname -m done $n times"
  done
  jq -r .name "$W/events" | grep -qx '\[linux/arm64 2/3\] RUN uname -m > /arch' && ok ||
    bad events "no step named [linux/arm64 2/3] RUN uname -m > /arch"
  # one numbering for the whole build: no step number names two steps
  dup=$(jq -r 'select(.event=="started") | .step' "$W/events" | sort | uniq -d | head -3)
  [ -z "$dup" ] && ok || bad events "step numbers used by both platforms: $dup"
  # the store: the tag names the index, images and inspect show it
  "$MDOCK" images --no-trunc | grep -q "mpapp .*$IDX" && ok ||
    bad images "mpapp's IMAGE ID is not the index: $("$MDOCK" images --no-trunc)"
  [ "$("$MDOCK" inspect mpapp:1 | jq -r '[.[0].Manifests[].Platform] | join(",")')" = linux/amd64,linux/arm64 ] &&
    ok || bad inspect "Manifests: $("$MDOCK" inspect mpapp:1 | jq -c '.[0].Manifests')"
  [ "$("$MDOCK" inspect --platform linux/arm64 --format '{{.Architecture}} {{json .RepoTags}}' mpapp:1)" = 'arm64 ["mpapp:1"]' ] &&
    ok || bad inspect "--platform linux/arm64: $("$MDOCK" inspect --platform linux/arm64 --format '{{.Architecture}} {{json .RepoTags}}' mpapp:1)"
  # mdock run of the index: this machine's platform, or --platform's
  [ "$("$MDOCK" run --rm mpapp:1 uname -m 2>&1)" = x86_64 ] && ok || bad run "run without --platform"
  [ "$("$MDOCK" run --rm --platform linux/arm64 mpapp:1 uname -m 2>&1)" = aarch64 ] && ok ||
    bad run "run --platform linux/arm64: $("$MDOCK" run --rm --platform linux/arm64 mpapp:1 uname -m 2>&1)"
  # ENV expands with each platform's base's ENV
  for a in amd64 arm64; do
    "$MDOCK" inspect --platform linux/$a --format '{{json .Config.Env}}' mpapp:1 | grep -q "\"FROMBASE=$a\"" &&
      ok || bad env "$a: $("$MDOCK" inspect --platform linux/$a --format '{{json .Config.Env}}' mpapp:1)"
  done
  # the amd64 image is the single-platform build's
  "$MDOCK" build -q --platform linux/amd64 -f "$W/app.Dockerfile" \
    --metadata-file "$W/meta" "$C" >/dev/null 2>&1 || bad single "the amd64 build failed"
  ONE=$(jq -r '."containerimage.digest"' "$W/meta")
  AMD=$(printf '%s' "$RAW" | jq -r '.manifests[0].digest')
  [ "$ONE" = "$AMD" ] && ok || bad single "amd64 of the index is $AMD, a single build $ONE"
  # the other outputs: an OCI archive holds the index; docker-archive and
  # local take one platform and say so
  "$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/app.Dockerfile" \
    -o "type=oci-archive,dest=$W/app.tar" "$C" >/dev/null 2>&1 &&
    [ "$(skopeo inspect --raw "oci-archive:$W/app.tar" | jq '.manifests | length')" = 2 ] &&
    ok || bad oci-archive "not an index of two"
  for t in docker-archive local; do
    if "$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/app.Dockerfile" \
         -o "type=$t,dest=$W/$t.out" "$C" > /dev/null 2> "$W/err"; then
      bad $t "took two platforms"
    else
      grep -q "takes the image of one platform" "$W/err" && ok || bad $t "$(cat "$W/err")"
    fi
  done
else
  bad build "$(grep -E 'error' "$W/events" | tail -3)"
fi

# prune keeps every platform of a tagged index (its blobs and its layer
# stacks' snapshots): the arm64 image still runs, nothing is missing
"$MDOCK" prune -f > /dev/null 2>&1
SNAP=$(ls "$W/store/snapshots" | wc -l)
"$MDOCK" fsck > "$W/fsck" 2>&1 && ok || bad prune "fsck: $(tail -3 "$W/fsck")"
[ "$("$MDOCK" run --rm --platform linux/arm64 mpapp:1 cat /arch 2>&1)" = aarch64 ] && ok ||
  bad prune "the arm64 image after prune"
[ "$(ls "$W/store/snapshots" | wc -l)" = "$SNAP" ] && ok ||
  bad prune "running the arm64 image made a snapshot prune had removed"

# --- 2. cross-compilation: the build stage natively, once --------------
cat > "$W/cross.Dockerfile" <<'EOF'
FROM --platform=$BUILDPLATFORM mpbase:1 AS build
RUN uname -m > /built-on
ARG TARGETARCH
RUN echo "tool for $TARGETARCH built on $(uname -m)" > /tool
FROM mpbase:1
COPY --from=build /tool /built-on /
RUN uname -m > /runs-on
EOF
if "$MDOCK" build --progress json --platform linux/amd64,linux/arm64 \
     -f "$W/cross.Dockerfile" -o "type=oci,tar=false,dest=$W/xoci" "$C" \
     > /dev/null 2> "$W/xevents"; then
  n=$(jq -r 'select(.event=="done") | .name' "$W/xevents" | grep -c 'RUN uname -m > /built-on')
  c=$(jq -r 'select(.event=="cached") | .name' "$W/xevents" | grep -c 'RUN uname -m > /built-on')
  [ "$n" = 1 ] && [ "$c" = 1 ] && ok ||
    bad cross "the build stage's first RUN ran $n times (cached $c): not once"
  n=$(jq -r 'select(.event=="done") | .name' "$W/xevents" | grep -c 'RUN echo "tool for')
  [ "$n" = 2 ] && ok || bad cross "the \$TARGETARCH step ran $n times, not once per platform"
  for p in amd64:x86_64 arm64:aarch64; do
    a=${p%%:*} m=${p#*:}
    skopeo copy -q --override-arch $a "oci:$W/xoci" "oci:$W/x-$a:x" >/dev/null 2>&1
    if umoci unpack --rootless --image "$W/x-$a:x" "$W/xu-$a" > "$W/umoci" 2>&1; then
      [ "$(cat "$W/xu-$a/rootfs/tool")" = "tool for $a built on x86_64" ] && ok ||
        bad cross "$a: /tool says $(cat "$W/xu-$a/rootfs/tool")"
      [ "$(cat "$W/xu-$a/rootfs/built-on")" = x86_64 ] && ok || bad cross "$a: built on $(cat "$W/xu-$a/rootfs/built-on")"
      [ "$(cat "$W/xu-$a/rootfs/runs-on")" = $m ] && ok || bad cross "$a: runs on $(cat "$W/xu-$a/rootfs/runs-on")"
    else
      bad umoci "cross $a: $(tail -2 "$W/umoci")"
    fi
  done
else
  bad cross "$(grep -E 'error' "$W/xevents" | tail -3)"
fi

# --- 3. what cannot run, and bases of other platforms ------------------
# sparc64: no QEMU handler mdock knows; the error is at the RUN's line
mkdir -p "$W/sp/bin" && cp /bin/busybox "$W/sp/bin/" && ln -s busybox "$W/sp/bin/sh"
printf 'FROM scratch\nCOPY bin /bin\nRUN echo never\n' > "$W/sp/Dockerfile"
if "$MDOCK" build -q --platform linux/sparc64 "$W/sp" > /dev/null 2> "$W/err"; then
  bad foreign "a RUN for linux/sparc64 ran on this machine"
else
  grep -q 'Dockerfile:3:1' "$W/err" && grep -q 'cannot run linux/sparc64 binaries' "$W/err" && ok ||
    bad foreign "no located error: $(head -5 "$W/err")"
fi
# riscv64 (QEMU has it): as root the handler is registered when missing;
# the image's /bin/sh is amd64's busybox, which the kernel would run
# natively: refused at the RUN's line, never run as riscv64's
"$MDOCK" build -q --platform linux/riscv64 "$W/sp" > /dev/null 2> "$W/err" &&
  bad foreign "an amd64 /bin/sh ran for linux/riscv64"
grep -q 'Dockerfile:3:1' "$W/err" && grep -q 'cannot run /bin/sh: it is built for x86-64 (amd64) and the image is for linux/riscv64' "$W/err" &&
  ok || bad foreign "host binary for riscv64: $(head -3 "$W/err")"
if grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-riscv64 2>/dev/null; then
  ok
  echo 0 > /proc/sys/fs/binfmt_misc/qemu-riscv64
  "$MDOCK" build -q --platform linux/riscv64 "$W/sp" > /dev/null 2> "$W/err"
  echo 1 > /proc/sys/fs/binfmt_misc/qemu-riscv64
  grep -q 'Dockerfile:3:1' "$W/err" && grep -q 'qemu-riscv64 is disabled (enable it' "$W/err" && ok ||
    bad foreign "disabled handler: $(head -3 "$W/err")"
else
  bad foreign "as root mdock did not register qemu-riscv64 (with F) from qemu-user-static"
fi
# a base of one platform: not for another
"$MDOCK" build -q --platform linux/amd64 -f "$W/base.Dockerfile" -t mpamd:1 "$C" >/dev/null 2>&1
printf 'FROM mpamd:1\nRUN uname -m > /arch\n' > "$W/one.Dockerfile"
if "$MDOCK" build -q --platform linux/arm64 -f "$W/one.Dockerfile" "$C" > /dev/null 2> "$W/err"; then
  bad base "an amd64 base built for linux/arm64"
else
  grep -q 'one.Dockerfile:1:1' "$W/err" && grep -q 'linux/amd64, not linux/arm64' "$W/err" && ok ||
    bad base "$(head -4 "$W/err")"
fi
# an index without the platform names the ones it has
printf 'FROM mpbase:1\nRUN true\n' > "$W/s390.Dockerfile"
if "$MDOCK" build -q --platform linux/s390x -f "$W/s390.Dockerfile" "$C" > /dev/null 2> "$W/err"; then
  bad base "mpbase built for linux/s390x"
else
  grep -q 'no linux/s390x manifest (it has linux/amd64, linux/arm64)' "$W/err" && ok ||
    bad base "$(head -4 "$W/err")"
fi
# an error in the Dockerfile is said once, not once per platform
printf 'FROM mpbase:1\nRUN --mount=type=nosuch true\n' > "$W/bad.Dockerfile"
"$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/bad.Dockerfile" "$C" > /dev/null 2> "$W/err"
[ "$(grep -c 'error:' "$W/err")" = 1 ] && ok || bad errors "said $(grep -c 'error:' "$W/err") times: $(cat "$W/err")"
# an OCI layout with an index, imported: FROM finds each platform in it
export MDOCK_ROOT="$W/store-import"
"$MDOCK" import "oci:$W/oci" mpimp:1 > /dev/null 2> "$W/err" || bad import "$(cat "$W/err")"
printf 'FROM mpimp:1\nRUN uname -m > /again\n' > "$W/imp.Dockerfile"
"$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/imp.Dockerfile" -t mpimp:2 "$C" > /dev/null 2> "$W/err" &&
  [ "$("$MDOCK" inspect mpimp:2 | jq '.[0].Manifests | length')" = 2 ] && ok ||
  bad import "FROM an imported index: $(tail -3 "$W/err")"
export MDOCK_ROOT="$W/store"
# FROM scratch for arm64: the config says arm64
printf 'FROM scratch\nCOPY arm64/bin/busybox /bin/busybox\n' > "$W/scratch.Dockerfile"
"$MDOCK" build -q --platform linux/arm64 -f "$W/scratch.Dockerfile" -t mpscratch "$C" >/dev/null 2>&1
[ "$("$MDOCK" inspect --format '{{.Os}}/{{.Architecture}}' mpscratch)" = linux/arm64 ] && ok ||
  bad scratch "the config says $("$MDOCK" inspect --format '{{.Os}}/{{.Architecture}}' mpscratch)"
# a platform that is none: a usage error (exit 2) saying how to write one
for cmd in "build -f $W/app.Dockerfile --platform linux/amd64,linux/ $C" "ir -f $W/app.Dockerfile --platform a/b/c/d" "inspect --platform x/ mpapp:1"; do
  # shellcheck disable=SC2086
  "$MDOCK" $cmd > /dev/null 2> "$W/err"; rc=$?
  [ $rc = 2 ] && grep -q "invalid platform '.*': write OS/ARCH or OS/ARCH/VARIANT" "$W/err" && ok ||
    bad usage "mdock $cmd: exit $rc, $(head -2 "$W/err")"
done
# an aarch64 spelling is linux/arm64, one key
"$MDOCK" ir --platform linux/aarch64 -f "$W/app.Dockerfile" > "$W/ir1" 2>&1
"$MDOCK" ir --platform linux/arm64/v8 -f "$W/app.Dockerfile" > "$W/ir2" 2>&1
cmp -s "$W/ir1" "$W/ir2" && grep -q linux/arm64 "$W/ir1" && ok || bad normalise "linux/aarch64 and linux/arm64/v8 differ"

# --- 4. through a registry ---------------------------------------------
PORT=$(free_port $((31000 + $$ % 20000)))
if start_registry "$W/reg" "$PORT"; then
  R=127.0.0.1:$PORT/mp/app:1
  if "$MDOCK" push -q mpapp:1 "$R" > "$W/pushed" 2> "$W/err"; then
    ok
    IDX=$(jq -r '.manifests[0].digest' "$W/oci/index.json")
    [ "$(cat "$W/pushed")" = "$IDX" ] && ok || bad push "push printed $(cat "$W/pushed"), not $IDX"
    REG=sha256:$(skopeo inspect --raw --tls-verify=false "docker://$R" | sha256sum | cut -d' ' -f1)
    [ "$REG" = "$IDX" ] && ok || bad push "the registry's index is $REG, not $IDX"
    for a in amd64 arm64; do
      [ "$(skopeo inspect --tls-verify=false --override-arch $a "docker://$R" | jq -r .Architecture)" = $a ] &&
        ok || bad push "skopeo does not find $a"
    done
    skopeo copy -q --all --src-tls-verify=false "docker://$R" "oci:$W/back:x" >/dev/null 2>&1 &&
      [ "sha256:$(skopeo inspect --raw "oci:$W/back:x" | sha256sum | cut -d' ' -f1)" = "$IDX" ] && ok ||
      bad push "skopeo copy --all changed the index"
    # pulled back by another store: each platform, then the list
    export MDOCK_ROOT="$W/store2"
    for a in amd64 arm64; do
      want=$(jq -r ".manifests[] | select(.platform.architecture==\"$a\") | .digest" "$W/oci/blobs/sha256/${IDX#sha256:}")
      got=$("$MDOCK" pull -q --platform linux/$a "$R" 2>"$W/err")
      [ "$got" = "$want" ] && ok || bad pull "$a: pulled $got, pushed $want ($(cat "$W/err"))"
    done
    export MDOCK_ROOT="$W/store3"
    "$MDOCK" pull -q --platform linux/amd64,linux/arm64 "$R" > /dev/null 2> "$W/err" || bad pull "the list: $(cat "$W/err")"
    [ "$("$MDOCK" inspect "$R" | jq -r '.[0].Descriptor.digest')" = "$IDX" ] && ok ||
      bad pull "the pulled tag does not name $IDX"
    "$MDOCK" export "$R" -o "type=oci,tar=false,dest=$W/again" >/dev/null 2>&1
    [ "$(skopeo inspect --raw "oci:$W/again" | sha256sum | cut -d' ' -f1)" = "${IDX#sha256:}" ] && ok ||
      bad pull "exported again, the index changed"
    # a build FROM the pulled index, for both platforms, runs both
    printf 'FROM %s\nRUN uname -m > /again\n' "$R" > "$W/again.Dockerfile"
    "$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/again.Dockerfile" "$C" > /dev/null 2> "$W/err" &&
      ok || bad pull "FROM the pulled index: $(tail -3 "$W/err")"
    # the registry cache: --cache-to of both platforms' steps, and another
    # store builds both from it without running a step
    export MDOCK_ROOT="$W/store"
    "$MDOCK" build -q --platform linux/amd64,linux/arm64 -f "$W/app.Dockerfile" \
      --cache-to "type=registry,ref=127.0.0.1:$PORT/mp/cache:1" "$C" > /dev/null 2> "$W/err" ||
      bad cache "--cache-to: $(tail -3 "$W/err")"
    export MDOCK_ROOT="$W/store4"
    "$MDOCK" import "oci:$W/oci-base" mpbase:1 >/dev/null 2>&1 || bad cache "the base did not import"
    "$MDOCK" build --progress json --platform linux/amd64,linux/arm64 -f "$W/app.Dockerfile" \
      --cache-from "type=registry,ref=127.0.0.1:$PORT/mp/cache:1" "$C" > /dev/null 2> "$W/cevents" ||
      bad cache "--cache-from: $(grep error "$W/cevents" | tail -3)"
    n=$(jq -r 'select(.event=="done" and (.name | test("RUN")))' "$W/cevents" | grep -c '"name"')
    c=$(jq -r 'select(.event=="cached" and (.name | test("RUN")))' "$W/cevents" | grep -c '"name"')
    [ "$n" = 0 ] && [ "$c" = 4 ] && ok || bad cache "from the registry cache: $n RUN steps ran, $c cached (want 0 and 4)"
    # build --push: the index and both images
    export MDOCK_ROOT="$W/store"
    "$MDOCK" build -q --push --platform linux/amd64,linux/arm64 -f "$W/app.Dockerfile" \
      -t "127.0.0.1:$PORT/mp/built:1" "$C" > "$W/bid" 2> "$W/err" || bad build-push "$(tail -3 "$W/err")"
    [ "$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/mp/built:1" | jq '.manifests | length')" = 2 ] &&
      ok || bad build-push "the registry does not have an index of two"
  else
    bad push "$(tail -3 "$W/err")"
  fi
else
  bad registry "did not start"
fi

echo "multiplatform: $pass checks passed, $fail failed"
[ $fail -eq 0 ]
