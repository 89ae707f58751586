#!/bin/sh
# deps.sh - installs the Debian packages mdock needs, and only when one is
# missing (idempotent: a second run does not touch apt).
set -eu
# `deps.sh bench` adds Node.js for the benchmark peer when node is missing.
PKGS="make gcc clang re2c bison pkg-config libjansson-dev libcmocka-dev \
libarchive-dev libcurl4-openssl-dev libssl-dev libzstd-dev libdeflate-dev \
libclang-rt-14-dev libxml2-utils umoci skopeo oci-image-tool busybox-static \
buildah jq runc docker-registry curl apache2-utils openssl time zstd \
valgrind tmux bc docker.io groff-base openssh-client git mmdebstrap \
libyaml-dev shellcheck python3 uidmap slirp4netns fuse-overlayfs \
qemu-user-static strace tzdata"
# slirp4netns (RUN's network) and fuse-overlayfs (rootless overlays on
# kernels before 5.11) open /dev/net/tun and /dev/fuse as the building
# user: Debian's udev makes them 0666, a machine without udev leaves 0600
for dev in /dev/net/tun /dev/fuse; do
  if [ -c $dev ] && [ "$(stat -c %a $dev)" = 600 ] && [ "$(id -u)" -eq 0 ]; then
    chmod 0666 $dev
  fi
done
# busybox-static for arm64 (the multi-platform tests' second platform):
# fetched once with apt-get download, unpacked to ARM64_BUSYBOX
ARM64_BUSYBOX=/var/cache/mdock/arm64/bin/busybox
arm64_busybox() {
  [ -x $ARM64_BUSYBOX ] && return 0
  [ "$(id -u)" -eq 0 ] || return 0
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -qq
  fi
  d=$(mktemp -d)
  (cd "$d" && apt-get download -qq busybox-static:arm64 2>/dev/null ||
     { apt-get update -qq && apt-get download -qq busybox-static:arm64; })
  dpkg-deb -x "$d"/busybox-static_*_arm64.deb "$d/x"
  mkdir -p "$(dirname $ARM64_BUSYBOX)"
  cp "$d/x/bin/busybox" $ARM64_BUSYBOX.tmp && mv $ARM64_BUSYBOX.tmp $ARM64_BUSYBOX
  rm -rf "$d"
}
missing=""
if [ "${1:-}" = bench ] && ! command -v node >/dev/null; then
  PKGS="$PKGS nodejs npm"
fi
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
if [ -z "$missing" ]; then
  arm64_busybox
  exit 0
fi
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
arm64_busybox
