#!/bin/sh
# build_e2e.sh - builds every case under testdata/build/ with mdock into a
# fresh store and checks the result: the root filesystem (owners, modes,
# sizes, links) and the image config against the case's goldens, and the
# OCI output with the real tools: oci-image-tool validate, umoci unpack,
# skopeo inspect and skopeo copy (layout, oci-archive, docker-archive).
# A case with error.expected must fail with that message.
# MDK_UPDATE_GOLDEN=1 rewrites the goldens.  MDK_E2E_DIGESTS=FILE writes
# "case manifest-digest" lines there (tests/rootless.sh compares a root
# run's with a rootless one's).  Run by a user who is not root, mdock
# builds rootless; the exported trees are listed inside its user namespace
# (`mdock unshare`), where files have the image's owners.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/mdock-e2e.XXXXXX)
if [ "$(id -u)" -ne 0 ]; then
  in_ns() { "$MDOCK" unshare "$@"; }
else
  in_ns() { "$@"; }
fi
[ -n "${MDK_KEEP:-}" ] && echo "work: $WORK" || trap 'in_ns rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
export SOURCE_DATE_EPOCH=1700000000
export MDOCK_E2E_SECRET=e2e-secret-value
pass=0
fail=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

for t in umoci skopeo oci-image-tool; do
  command -v $t >/dev/null || { echo "build e2e: $t is missing (make deps)"; exit 1; }
done

# The base image the cases build on: a merged-/usr layout with a passwd
# file, built by mdock itself (empty directories cannot live in git).
B="$WORK/base"
base_context "$B" busybox
if ! (cd "$B" && "$MDOCK" build -q -t base-image:test . >/dev/null); then
  echo "build e2e: cannot build the base image"
  exit 1
fi

# The busybox image the RUN cases build on: busybox-static and its applets
# (no network needed).
BB="$WORK/busybox"
busybox_context "$BB"
if ! (cd "$BB" && "$MDOCK" build -q -t busybox:test . >/dev/null); then
  echo "build e2e: cannot build the busybox image"
  exit 1
fi

# the applet links of the busybox image are left out of the goldens
listing() { tree_listing "$1" | grep -v ' -> busybox$'; }

check_golden() { # case file actual
  if [ "${MDK_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$3" "$1/$2"
  elif [ -f "$1/$2" ]; then
    if ! diff -u "$1/$2" "$3" > "$WORK/diff"; then
      bad "$(basename "$1")" "$2 differs:"
      head -20 "$WORK/diff"
      return 1
    fi
  else
    bad "$(basename "$1")" "no $2 golden"
    return 1
  fi
  return 0
}

for c in "$HERE"/testdata/build/*/; do
  c=${c%/}
  name=$(basename "$c")
  # fuse-overlayfs's own differences (the file says which)
  [ "${MDOCK_OVERLAY:-}" = fuse ] && [ -f "$c/fuse.differs" ] && continue
  # a copy with the modes git records (0644, or 0755 when executable), so
  # the goldens do not depend on the checkout's umask
  rm -rf "$WORK/ctx"
  cp -a "$c/ctx" "$WORK/ctx"
  find "$WORK/ctx" -type d -exec chmod 0755 {} +
  find "$WORK/ctx" -type f -perm -u+x -exec chmod 0755 {} +
  find "$WORK/ctx" -type f ! -perm -u+x -exec chmod 0644 {} +
  ctx="$WORK/ctx"
  # a case may need an image of its own first (pre.Dockerfile -> pre.tag)
  if [ -f "$c/pre.Dockerfile" ] &&
     ! (cd "$ctx" && "$MDOCK" build -q -f "$c/pre.Dockerfile" -t "$(cat "$c/pre.tag")" . >/dev/null 2>"$WORK/err"); then
    bad "$name" "pre build failed: $(cat "$WORK/err")"
    continue
  fi
  if [ -f "$c/error.expected" ]; then
    if (cd "$ctx" && "$MDOCK" build -q . >/dev/null 2>"$WORK/err"); then
      bad "$name" "the build should have failed"
    elif ! grep -qF "$(cat "$c/error.expected")" "$WORK/err"; then
      bad "$name" "unexpected error: $(head -3 "$WORK/err")"
    else
      pass=$((pass + 1))
    fi
    continue
  fi
  set --
  [ -f "$c/build.secret" ] && set -- --secret "$(cat "$c/build.secret")"
  if ! (cd "$ctx" && "$MDOCK" build -q "$@" -t "$name:test" . >/dev/null 2>"$WORK/err"); then
    bad "$name" "build failed: $(cat "$WORK/err")"
    continue
  fi
  # a secret never lands in a layer, the config or the history
  if [ -f "$c/build.secret" ]; then
    for b in "$MDOCK_ROOT"/blobs/sha256/*; do
      if { zcat -f "$b" 2>/dev/null || zstdcat -q "$b" 2>/dev/null; } |
         grep -q "$MDOCK_E2E_SECRET"; then
        bad "$name" "the secret is in blob $(basename "$b")"
      fi
    done
  fi
  ok=1
  if [ -n "${MDK_E2E_DIGESTS:-}" ]; then
    echo "$name $("$MDOCK" inspect --format manifest "$name:test" | sha256sum | cut -c1-64)" >> "$MDK_E2E_DIGESTS"
  fi
  in_ns rm -rf "$WORK/rootfs" "$WORK/oci" "$WORK/oci2" "$WORK/umoci"
  in_ns "$MDOCK" export "$name:test" --output "type=local,dest=$WORK/rootfs" || ok=0
  in_ns sh -c '. "$1/tests/lib.sh"; tree_listing "$2" | grep -v " -> busybox$"' \
    _ "$HERE" "$WORK/rootfs" > "$WORK/rootfs.txt"
  check_golden "$c" rootfs.expected "$WORK/rootfs.txt" || ok=0
  "$MDOCK" inspect --format config "$name:test" > "$WORK/config.txt"
  check_golden "$c" config.expected "$WORK/config.txt" || ok=0
  # where a case pins it, the history: every step, one that changed
  # nothing as an empty_layer entry (as BuildKit records it)
  if [ -f "$c/history.expected" ]; then
    "$MDOCK" inspect --format history "$name:test" |
      jq -r '.[] | "\(.empty_layer // false) \(.created_by)"' > "$WORK/history.txt"
    check_golden "$c" history.expected "$WORK/history.txt" || ok=0
  fi
  # the OCI output, as other tools read it
  "$MDOCK" export "$name:test" --output "type=oci,tar=false,dest=$WORK/oci" || ok=0
  if ! oci-image-tool validate --type image --ref "name=$name:test" "$WORK/oci" >"$WORK/v" 2>&1; then
    bad "$name" "oci-image-tool: $(tail -2 "$WORK/v")"; ok=0
  fi
  if ! umoci unpack --rootless --image "$WORK/oci:$name:test" "$WORK/umoci" >"$WORK/v" 2>&1; then
    bad "$name" "umoci unpack: $(tail -2 "$WORK/v")"; ok=0
  elif [ "$(listing "$WORK/umoci/rootfs" | awk '{print $1, $2, $4, $5, $6}')" != \
         "$(awk '{print $1, $2, $4, $5, $6}' "$WORK/rootfs.txt")" ]; then
    bad "$name" "umoci unpacks another tree than mdock"; ok=0
  fi
  if ! skopeo inspect "oci:$WORK/oci:$name:test" >/dev/null 2>"$WORK/v" ||
     ! skopeo copy -q "oci:$WORK/oci:$name:test" "oci:$WORK/oci2:copy" 2>"$WORK/v"; then
    bad "$name" "skopeo: $(tail -2 "$WORK/v")"; ok=0
  fi
  "$MDOCK" export "$name:test" --output "type=oci-archive,dest=$WORK/a.tar" &&
  "$MDOCK" export "$name:test" --output "type=docker-archive,dest=$WORK/d.tar" || ok=0
  for src in "oci-archive:$WORK/a.tar:$name:test" "docker-archive:$WORK/d.tar"; do
    if ! skopeo inspect "$src" >/dev/null 2>"$WORK/v"; then
      bad "$name" "skopeo inspect $src: $(tail -2 "$WORK/v")"; ok=0
    fi
  done
  # and back: an exported archive imports to the same image
  d1=$("$MDOCK" inspect --format manifest "$name:test" | cksum)
  "$MDOCK" rmi "$name:test" >/dev/null
  "$MDOCK" import "oci-archive:$WORK/a.tar" >/dev/null || ok=0
  d2=$("$MDOCK" inspect --format manifest "$name:test" 2>/dev/null | cksum)
  [ "$d1" = "$d2" ] || { bad "$name" "import of the oci-archive differs"; ok=0; }
  [ $ok = 1 ] && pass=$((pass + 1))
done
# SOURCE_DATE_EPOCH from the Dockerfile's global ARG, and a build arg's
# over it (testdata/build-epoch)
epoch_case() {
  want=$1; shift
  got=$(env -u SOURCE_DATE_EPOCH "$MDOCK" build -q "$@" -t epoch:test \
          "$HERE/testdata/build-epoch" >/dev/null 2>"$WORK/v" &&
        "$MDOCK" inspect --format '{{.Created}}' epoch:test)
  if [ "$got" = "$want" ]; then pass=$((pass + 1))
  else bad "build-epoch $*" "Created $got, want $want $(tail -2 "$WORK/v")"; fi
}
epoch_case 2020-09-13T12:26:40Z
epoch_case 2001-09-09T01:46:40Z --build-arg SOURCE_DATE_EPOCH=1000000000
echo "build e2e: $pass passed, $fail failed"
# a checkout without the cases must not pass
[ $fail -eq 0 ] && [ $pass -ge 32 ]
