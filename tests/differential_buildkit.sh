#!/bin/sh
# differential_buildkit.sh - every testdata/build case built by the real
# BuildKit (a private dockerd from Debian's docker.io, `docker build
# --network none`) and by mdock: the same files (paths, types, modes,
# owners, sizes, content, link targets), the same config (docker image
# inspect's Config, Architecture, Os: Docker's own fields, Healthcheck,
# OnBuild and Shell included) and the same history (created_by, comment,
# empty or not); the cases of testdata/build-platform the same way, both
# with --platform (arm64, RUN under QEMU).  Each builder's files are read with umoci from an OCI
# copy skopeo makes of `docker save` / mdock's docker-archive, so neither
# side unpacks with mdock's code.  A case that must fail must fail in both.
#
# dockerd 20.10 carries an older BuildKit than the one mdock follows
# (current dockerfile2llb).  What its frontend cannot parse is taken out of
# the case, for both builders, by the case's `dockerd.sed` (a sed script,
# its reason in a comment), or the whole case is skipped by `dockerd.skip`
# (its reason inside: heredocs, COPY --parents, ...); what it does
# differently is normalised here, and only here:
#
#  N1 mount stubs: 20.10 leaves the empty mount points RUN made (the file
#     or directory a --mount target needed, and its parents; /etc/hosts,
#     /etc/resolv.conf, /etc/hostname) in the layer; current BuildKit removes them
#     (MountStubsCleaner), as mdock does.  Empty files and directories that
#     only BuildKit has, at those paths, are dropped from its listing.
#  N2 history texts: HEALTHCHECK and EXPOSE entries are printed by 20.10 as
#     Go structs/maps (&{["CMD-SHELL" ...]}, map[80/tcp:{}]); COPY --chown
#     and --chmod are not recorded; a step that changes nothing (a RUN, a
#     WORKDIR that exists) is a layer in 20.10, an empty_layer entry now.
#     Those entries are compared after putting 20.10's in the current form
#     (tests/buildkit_history.sh pins the current texts).
#  N3 a --build-arg's value: 20.10 records "ARG K", current BuildKit
#     "ARG K=V".
#  N4 supplementary groups: current BuildKit puts the primary group first
#     in a RUN's additional groups (executor/oci ensureAdditionalGids, the
#     fix of CVE-2023-25173), as mdock does; 20.10 does not, so what `id`
#     wrote differs by that group.  A file holding `id`'s output is hashed
#     with the primary group taken out of its groups= list.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/mdock-dbk.XXXXXX)
cleanup() {
  stop_dockerd "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT
export MDOCK_ROOT="$WORK/store"
export SOURCE_DATE_EPOCH=1700000000
export MDOCK_E2E_SECRET=e2e-secret-value
pass=0
fail=0
skip=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
for t in umoci skopeo jq; do
  command -v $t >/dev/null || { echo "differential (BuildKit): $t is missing (make deps)"; exit 1; }
done
start_dockerd "$WORK" || { echo "differential (BuildKit): FAILED"; exit 1; }

# the base images of the cases, built by mdock, loaded into dockerd
load_image() { # dir tag
  (cd "$1" && "$MDOCK" build -q -t "$2" -o "type=docker-archive,dest=$WORK/img.tar" . >/dev/null) &&
    $D load -i "$WORK/img.tar" >/dev/null
}
B="$WORK/base"
base_context "$B"
BB="$WORK/busybox"
busybox_context "$BB"
load_image "$B" base-image:test && load_image "$BB" busybox:test ||
  { echo "differential (BuildKit): cannot load the base images"; exit 1; }

# N4: id's output with the primary group out of groups= (other files as
# they are)
ID_NORM='sed -E "/^uid=[0-9]+/{s/ gid=([0-9]+)(\([^)]*\))?(.*) groups=\1(\([^)]*\))?,?/ gid=\1\2\3 groups=/; s/ groups=$//}"'
files_of() { image_tree "$1" "$2" "$ID_NORM"; }
hist_of() { image_history "$1" "$2"; }

# diff_case DIR [PLATFORM]: one case built by both, compared
diff_case() {
  c=$1
  name=$(basename "$c")
  plat=${2:-}
  set --
  [ -n "$plat" ] && set -- --platform "$plat"
  # the modes git records, as build_e2e.sh does
  rm -rf "$WORK/ctx"
  cp -a "$c/ctx" "$WORK/ctx"
  find "$WORK/ctx" -type d -exec chmod 0755 {} +
  find "$WORK/ctx" -type f -perm -u+x -exec chmod 0755 {} +
  find "$WORK/ctx" -type f ! -perm -u+x -exec chmod 0644 {} +
  # what 20.10's frontend cannot parse, out of the case for both builders
  if [ -f "$c/dockerd.sed" ]; then
    sed -f "$c/dockerd.sed" "$c/ctx/Dockerfile" > "$WORK/ctx/Dockerfile"
  fi
  if [ -f "$c/pre.Dockerfile" ]; then
    (cd "$WORK/ctx" && "$MDOCK" build -q -f "$c/pre.Dockerfile" -t "$(cat "$c/pre.tag")" \
       -o "type=docker-archive,dest=$WORK/pre.tar" . >/dev/null 2>"$WORK/err") &&
      $D load -i "$WORK/pre.tar" >/dev/null ||
      { bad "$name" "pre image: $(tail -2 "$WORK/err")"; return; }
  fi
  [ -f "$c/build.secret" ] && set -- "$@" --secret "$(cat "$c/build.secret")"
  (cd "$WORK/ctx" && DOCKER_BUILDKIT=1 $D build --network none "$@" -t "dbk-$name:d" . \
     >"$WORK/d.log" 2>&1)
  drc=$?
  (cd "$WORK/ctx" && "$MDOCK" build -q "$@" -t "dbk-$name:m" \
     -o "type=docker-archive,dest=$WORK/m.tar" . >/dev/null 2>"$WORK/m.log")
  mrc=$?
  if [ -f "$c/error.expected" ]; then
    if [ $drc -ne 0 ] && [ $mrc -ne 0 ]; then pass=$((pass + 1))
    else bad "$name" "must fail in both: BuildKit exit $drc, mdock exit $mrc"; fi
    return
  fi
  [ $drc -eq 0 ] || { bad "$name" "BuildKit failed: $(tail -4 "$WORK/d.log")"; return; }
  [ $mrc -eq 0 ] || { bad "$name" "mdock failed: $(tail -4 "$WORK/m.log")"; return; }
  $D save -o "$WORK/d.tar" "dbk-$name:d" || { bad "$name" "docker save failed"; return; }
  ok=1
  files_of "$WORK/d.tar" "$WORK/d.files" && files_of "$WORK/m.tar" "$WORK/m.files" ||
    { bad "$name" "cannot unpack: $(tail -2 "$WORK/it.log")"; return; }
  # N1: the empty stubs of RUN's mount points, in BuildKit's listing only
  {
    echo './etc/hosts'; echo './etc/resolv.conf'; echo './etc/hostname'
    echo './etc'; echo './run'; echo './run/secrets'; echo './dev'; echo './proc'; echo './sys'
    # a mount target and the parents RUN had to make for it
    sed -n 's/.*--mount=[^ ]*\(target\|dst\|destination\)=\([^, ]*\).*/.\2/p' "$WORK/ctx/Dockerfile" |
      while read -r t; do
        while [ "$t" != . ] && [ -n "$t" ]; do echo "$t"; t=$(dirname "$t"); done
      done
    grep -q 'type=secret' "$WORK/ctx/Dockerfile" && echo './run/secrets/tok'
  } | sort -u > "$WORK/stubs"
  awk -v mf="$WORK/m.files" '
    BEGIN { while((getline l < mf) > 0) { split(l, f, " "); mine[f[1]] = 1 } }
    NR == FNR { stub[$1] = 1; next }
    stub[$1] && !mine[$1] && ($2 ~ /^d/ || ($2 ~ /^-/ && $4 == 0)) { next }
    { print }' "$WORK/stubs" "$WORK/d.files" > "$WORK/d.files2"
  if ! diff -u "$WORK/d.files2" "$WORK/m.files" > "$WORK/diff"; then
    bad "$name" "files differ (- BuildKit, + mdock):"
    head -20 "$WORK/diff"
    ok=0
  fi
  # the config, as Docker reads it, of BuildKit's image and of mdock's
  # loaded into the same dockerd
  $D load -i "$WORK/m.tar" >/dev/null 2>"$WORK/l.log" ||
    { bad "$name" "docker load of mdock's image: $(tail -2 "$WORK/l.log")"; return; }
  for f in Config Architecture Os Variant; do
    dv=$($D image inspect --format "{{json .$f}}" "dbk-$name:d")
    mv=$($D image inspect --format "{{json .$f}}" "dbk-$name:m")
    [ "$dv" = "$mv" ] || { bad "$name" ".$f: BuildKit $dv, mdock $mv"; ok=0; }
  done
  # history (N2, N3)
  hist_of "$WORK/d.tar" "$WORK/d.hist" && hist_of "$WORK/m.tar" "$WORK/m.hist" ||
    { bad "$name" "cannot read the history"; return; }
  bk_history_norm "$WORK/d.hist" "$WORK/m.hist" "$WORK/d.h3" "$WORK/m.h2"
  if ! diff -u "$WORK/d.h3" "$WORK/m.h2" > "$WORK/diff"; then
    bad "$name" "history differs (- BuildKit, + mdock):"
    head -20 "$WORK/diff"
    ok=0
  fi
  [ $ok = 1 ] && pass=$((pass + 1))
}

for c in "$HERE"/testdata/build/*/; do
  if [ -f "$c/dockerd.skip" ]; then
    skip=$((skip + 1))
    continue
  fi
  diff_case "${c%/}"
done
# other platforms (RUN under QEMU user emulation, which mdock registered
# with binfmt_misc when it built the arm64 base): each case of
# testdata/build-platform on busybox-arm64:test, --platform its platform
BA="$WORK/busybox-arm64"
mkdir -p "$BA/bin" "$BA/tmp" "$BA/etc"
cp /var/cache/mdock/arm64/bin/busybox "$BA/bin/" 2>/dev/null ||
  { echo "differential (BuildKit): arm64 busybox is missing (make deps)"; exit 1; }
for a in sh uname echo cat id ls mkdir; do ln -s busybox "$BA/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$BA/etc/passwd"
printf 'FROM scratch\nCOPY . /\nRUN ["/bin/busybox", "true"]\nCMD ["sh"]\n' > "$BA/Dockerfile"
(cd "$BA" && "$MDOCK" build -q --platform linux/arm64 -t busybox-arm64:test \
   -o "type=docker-archive,dest=$WORK/img.tar" . >/dev/null) && $D load -i "$WORK/img.tar" >/dev/null ||
  { echo "differential (BuildKit): cannot load the arm64 base"; exit 1; }
for c in "$HERE"/testdata/build-platform/*/; do
  diff_case "${c%/}" "$(cat "$c/platform")"
done
echo "differential (BuildKit $($D version --format '{{.Server.Version}}')): $pass same, $fail differ, $skip skipped (dockerd.skip)"
[ $fail -eq 0 ] && [ $pass -ge 20 ]
