#!/bin/sh
# build.sh - mdock build next to BuildKit (a private dockerd from Debian's
# docker.io, `docker build --network none`, its own cache) and buildah (vfs
# storage, chroot isolation, --layers for its cache) in the same run, on the
# same busybox base:
#   a 20-step Dockerfile: cold (no cache), fully cached, one context file
#   touched (mtime only), one edited;
#   a COPY of a 500 MB / 20,000-file context (the bench/layer.sh tree):
#   cold and fully cached;
#   and mdock rootless (an ordinary user with a subuid range, made here)
#   next to mdock as root, on the same cases;
#   a two-platform build (--platform linux/amd64,linux/arm64: the arm64 RUN
#   steps under QEMU user emulation) next to buildah's --platform ...
#   --manifest, the base a two-platform index on a loopback docker-registry.
# Whole process, best of RUNS for the cached cases, page cache warm.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MDOCK=${MDOCK:-$ROOT/build/mdock}
RUNS=${RUNS:-3}
W=/tmp/mdock-bench-build
[ -x "$MDOCK" ] || make -C "$ROOT" all >/dev/null
command -v buildah >/dev/null || sh "$ROOT/tools/deps.sh"
[ -d /tmp/mdock-bench-layer/tree ] || sh "$HERE/layer.sh" >/dev/null
[ -d "$W" ] && { runuser -u mdkbench -- "$MDOCK" unshare rm -rf "$W/rl" 2>/dev/null || true; }
rm -rf "$W"
mkdir -p "$W/ctx20" "$W/big"
export MDOCK_ROOT="$W/store"
BH="buildah --root $W/buildah --runroot $W/run --storage-driver vfs"
. "$ROOT/tests/lib.sh"
WORK=$W/dockerd
mkdir -p "$WORK"
cleanup() { $BH rmi -a -f >/dev/null 2>&1 || true; stop_dockerd "$WORK" || true; }
trap cleanup EXIT
start_dockerd "$WORK" >&2 || exit 1

# the base, given to all three
busybox_context "$W/bb"
(cd "$W/bb" && "$MDOCK" build -q -t bench/busybox -o "type=docker-archive,dest=$W/bb.tar" . >/dev/null)
$D load -i "$W/bb.tar" >/dev/null
"$MDOCK" export bench/busybox --output "type=oci,tar=false,dest=$W/bb-oci"
id=$($BH pull -q "oci:$W/bb-oci:bench/busybox:latest" 2>/dev/null | tail -1)
$BH tag "$id" localhost/bench/busybox >/dev/null

# 20 steps: RUN, COPY, ENV, WORKDIR; the COPY of app/ is step 12
i=0
while [ $i -lt 40 ]; do head -c 4000 /dev/urandom | base64 > "$W/ctx20/f$i.txt"; i=$((i + 1)); done
mkdir -p "$W/ctx20/app"
cp "$W/ctx20/f1.txt" "$W/ctx20/app/main.txt"
cat > "$W/ctx20/Dockerfile" <<'EOF'
FROM bench/busybox
ENV APP=/srv/app
WORKDIR /srv
RUN mkdir -p /srv/app/data && echo one > /srv/app/data/1
RUN for i in 1 2 3 4 5 6 7 8; do echo $i > /srv/app/data/n$i; done
COPY f0.txt f2.txt f3.txt /srv/app/
RUN cat /srv/app/f0.txt | wc -c > /srv/app/size
ENV MODE=bench
RUN adduser -D -u 1000 app 2>/dev/null || echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd
RUN mkdir -p /home/app && chown 1000 /home/app
COPY f4.txt f5.txt f6.txt f7.txt /srv/more/
COPY app/ /srv/app/src/
RUN ls -R /srv > /srv/listing
RUN sha256sum /srv/app/src/main.txt > /srv/app/sum
COPY f8.txt /srv/app/f8.txt
RUN tar -cf /srv/app.tar /srv/app 2>/dev/null
RUN gzip -1 /srv/app.tar
ENV DONE=1
RUN echo done > /srv/done
CMD ["sh"]
EOF
printf 'FROM bench/busybox\nCOPY . /data/\n' > "$W/big/Dockerfile"
cp -r /tmp/mdock-bench-layer/tree "$W/big/tree"

ns() { date +%s%N; }
once() { t0=$(ns); sh -c "$1" >/dev/null 2>&1 || { echo "bench: failed: $1" >&2; exit 1; }; t1=$(ns); echo $((t1 - t0)); }
best() {
  b=0; k=0
  while [ $k -lt "$RUNS" ]; do
    d=$(once "$1"); if [ $b -eq 0 ] || [ $d -lt $b ]; then b=$d; fi; k=$((k + 1))
  done
  echo $b
}
# dockerd keeps its cache across runs of one daemon; --no-cache is its cold
K="DOCKER_BUILDKIT=1 $D build --network none -q"
M20="cd $W/ctx20 && $MDOCK build -q -t bench/app ."
K20="cd $W/ctx20 && $K -t bench/app ."
B20="cd $W/ctx20 && $BH bud --isolation chroot --layers -q -t localhost/bench/app ."
# cold: every step runs (--no-cache), the base already unpacked (as docker
# load leaves it for BuildKit); best of RUNS, like the cached cases
m_cold=$(best "cd $W/ctx20 && $MDOCK build -q --no-cache -t bench/app .")
k_cold=$(best "cd $W/ctx20 && $K --no-cache -t bench/app .")
b_cold=$(best "cd $W/ctx20 && $BH bud --isolation chroot --layers --no-cache -q -t localhost/bench/app .")
once "$M20" >/dev/null; once "$B20" >/dev/null; once "$K20" >/dev/null
m_hot=$(best "$M20"); b_hot=$(best "$B20"); k_hot=$(best "$K20")
touch "$W/ctx20/app/main.txt"
m_touch=$(once "$M20"); b_touch=$(once "$B20"); k_touch=$(once "$K20")
echo edited >> "$W/ctx20/app/main.txt"
m_edit=$(once "$M20"); b_edit=$(once "$B20"); k_edit=$(once "$K20")
MB="cd $W/big && $MDOCK build -q -t bench/big ."
BB="cd $W/big && $BH bud --isolation chroot --layers -q -t localhost/bench/big ."
m_bcold=$(once "cd $W/big && $MDOCK build -q --no-cache -t bench/big .")
b_bcold=$(once "cd $W/big && $BH bud --isolation chroot --layers --no-cache -q -t localhost/bench/big .")
m_bhot=$(best "$MB"); b_bhot=$(best "$BB")
KB="cd $W/big && $K -t bench/big ."
k_bcold=$(once "cd $W/big && $K --no-cache -t bench/big .")
k_bhot=$(best "$KB")

# rootless: the same builds by an ordinary user (a user namespace with its
# subuid range, overlays in it) into a store of its own
subid_user mdkbench 300000
mkdir -p "$W/rl" && chown mdkbench "$W/rl" && chmod 0755 "$W" && chmod -R a+rX "$W/ctx20" "$W/big" "$W/bb.tar"
RL="runuser -u mdkbench -- env HOME=$W/rl MDOCK_ROOT=$W/rl/store"
$RL "$MDOCK" load -i "$W/bb.tar" >/dev/null
r_cold=$(best "cd $W/ctx20 && $RL $MDOCK build -q --no-cache -t bench/app .")
once "cd $W/ctx20 && $RL $MDOCK build -q -t bench/app ." >/dev/null
r_hot=$(best "cd $W/ctx20 && $RL $MDOCK build -q -t bench/app .")
r_bcold=$(once "cd $W/big && $RL $MDOCK build -q --no-cache -t bench/big .")
r_bhot=$(best "cd $W/big && $RL $MDOCK build -q -t bench/big .")
# root's, in the same round (the cached cases above ran before the edits)
m_cold2=$(best "cd $W/ctx20 && $MDOCK build -q --no-cache -t bench/app .")
once "$M20" >/dev/null
m_hot2=$(best "$M20")
m_bcold2=$(once "cd $W/big && $MDOCK build -q --no-cache -t bench/big .")
m_bhot2=$(best "$MB")

# two platforms: the base an index of busybox for amd64 and arm64 (tools/
# deps.sh fetches arm64's), served by docker-registry on 127.0.0.1 to both
ARM64_BUSYBOX=/var/cache/mdock/arm64/bin/busybox
[ -x $ARM64_BUSYBOX ] || sh "$ROOT/tools/deps.sh"
mkdir -p "$W/mp/amd64/bin" "$W/mp/arm64/bin" "$W/mpapp"
cp /bin/busybox "$W/mp/amd64/bin/"; cp $ARM64_BUSYBOX "$W/mp/arm64/bin/"
for a in amd64 arm64; do
  for x in sh echo cat uname mkdir ls sha256sum tar gzip; do ln -s busybox "$W/mp/$a/bin/$x"; done
done
printf 'FROM scratch\nARG TARGETARCH\nCOPY $TARGETARCH/ /\nENV PATH=/bin\nCMD ["sh"]\n' > "$W/mp/Dockerfile"
RPORT=$(set +e; free_port 35000)
start_registry "$W/reg" "$RPORT" >&2 || exit 1
trap 'kill $RP 2>/dev/null; cleanup' EXIT
(cd "$W/mp" && "$MDOCK" build -q --platform linux/amd64,linux/arm64 -t bench/mpbase . >/dev/null)
"$MDOCK" push -q bench/mpbase "127.0.0.1:$RPORT/bench/mpbase:1" >/dev/null
cat > "$W/mpapp/Dockerfile" <<EOF
FROM 127.0.0.1:$RPORT/bench/mpbase:1
RUN mkdir -p /srv/data && echo one > /srv/data/1
RUN for i in 1 2 3 4 5 6 7 8; do echo \$i > /srv/data/n\$i; done
RUN uname -m > /srv/arch
RUN ls -R /srv > /srv/listing && sha256sum /srv/listing > /srv/sum
RUN tar -cf /srv.tar /srv && gzip -1 /srv.tar
CMD ["sh"]
EOF
MP="cd $W/mpapp && $MDOCK build -q --platform linux/amd64,linux/arm64 -t bench/mp ."
BP="cd $W/mpapp && $BH manifest rm localhost/bench/mp >/dev/null 2>&1; $BH bud --isolation chroot --layers --tls-verify=false -q --platform linux/amd64,linux/arm64 --manifest localhost/bench/mp ."
once "$MP" >/dev/null; once "$BP" >/dev/null
m_mpcold=$(best "cd $W/mpapp && $MDOCK build -q --no-cache --platform linux/amd64,linux/arm64 -t bench/mp .")
b_mpcold=$(best "cd $W/mpapp && $BH manifest rm localhost/bench/mp >/dev/null 2>&1; $BH bud --isolation chroot --layers --no-cache --tls-verify=false -q --platform linux/amd64,linux/arm64 --manifest localhost/bench/mp .")
m_mphot=$(best "$MP"); b_mphot=$(best "$BP")

# near disk speed: the first RUN on the 500 MB image (its layers unpacked
# into a snapshot) against tar -x of the same layer, and writing the image
# out as an OCI archive / layout against cp of its blobs, and docker save
mkdir -p "$W/first"
printf 'FROM bench/big\nRUN true\n' > "$W/first/Dockerfile"
big_layer=$("$MDOCK" inspect --format manifest bench/big | jq -r '.layers[-1].digest' | cut -d: -f2)
m_first=$(once "rm -rf $W/store/snapshots/* && cd $W/first && $MDOCK build -q --no-cache -t bench/first .")
t_first=$(once "rm -rf $W/untar && mkdir $W/untar && zcat -f $W/store/blobs/sha256/$big_layer | tar -x -C $W/untar")
blobs=$("$MDOCK" inspect --format manifest bench/big | jq -r '.config.digest, .layers[].digest' | cut -d: -f2 |
        sed "s|^|$W/store/blobs/sha256/|" | tr '\n' ' ')
t_cp=$(once "rm -rf $W/cp && mkdir $W/cp && cp $blobs $W/cp/ && sync")
m_oci=$(once "rm -f $W/big.tar && $MDOCK export bench/big -o type=oci,dest=$W/big.tar && sync")
m_layout=$(once "rm -rf $W/layout && $MDOCK export bench/big -o type=oci,tar=false,dest=$W/layout && sync")
k_save=$(once "rm -f $W/k.tar && $D save -o $W/k.tar bench/big && sync")
rm -rf "$W/untar" "$W/cp" "$W/layout" "$W/big.tar" "$W/k.tar"
awk -v mc=$m_cold -v bc=$b_cold -v kc=$k_cold -v mh=$m_hot -v bh=$b_hot \
    -v kh=$k_hot -v mt=$m_touch -v bt=$b_touch -v kt=$k_touch -v me=$m_edit \
    -v be=$b_edit -v ke=$k_edit -v mbc=$m_bcold -v bbc=$b_bcold -v kbc=$k_bcold \
    -v mbh=$m_bhot -v bbh=$b_bhot -v kbh=$k_bhot -v mf=$m_first -v tf=$t_first \
    -v tc=$t_cp -v mo=$m_oci -v ml=$m_layout -v ks=$k_save \
    -v rc=$r_cold -v rh=$r_hot -v rbc=$r_bcold -v rbh=$r_bhot -v mc2=$m_cold2 \
    -v mh2=$m_hot2 -v mbc2=$m_bcold2 -v mbh2=$m_bhot2 \
    -v mpc=$m_mpcold -v bpc=$b_mpcold -v mph=$m_mphot -v bph=$b_mphot \
    -v kv="$($D version --format '{{.Server.Version}}' | cut -d+ -f1)" 'BEGIN {
  printf "| build | mdock | BuildKit (dockerd %s) | mdock is | buildah 1.28 | mdock is |\n", kv
  printf "|---|---|---|---|---|---|\n"
  row("20 steps, cold", mc, kc, bc)
  row("20 steps, fully cached", mh, kh, bh)
  row("20 steps, one file touched", mt, kt, bt)
  row("20 steps, one file edited", me, ke, be)
  row("COPY 500 MB / 20,000 files, cold", mbc, kbc, bbc)
  row("COPY 500 MB / 20,000 files, cached", mbh, kbh, bbh)
  printf "\n| two platforms (linux/amd64,linux/arm64; arm64 RUN under QEMU) | mdock | buildah --manifest | mdock is |\n|---|---|---|---|\n"
  printf "| 5 RUN steps per platform, cold | %.3f s | %.3f s | %.1fx faster |\n", mpc/1e9, bpc/1e9, bpc/mpc
  printf "| 5 RUN steps per platform, fully cached | %.3f s | %.3f s | %.1fx faster |\n", mph/1e9, bph/1e9, bph/mph
  printf "\n| near disk speed | mdock | baseline | mdock takes |\n|---|---|---|---|\n"
  printf "| first RUN on the 500 MB image (unpack its layer) | %.2f s | tar -x of the layer: %.2f s | %.2fx its time |\n", mf/1e9, tf/1e9, mf/tf
  printf "| -o type=oci (an archive) of the 500 MB image | %.2f s | cp of its blobs: %.2f s | %.2fx its time |\n", mo/1e9, tc/1e9, mo/tc
  printf "| -o type=oci,tar=false (a layout) | %.2f s | cp of its blobs: %.2f s | %.2fx its time |\n", ml/1e9, tc/1e9, ml/tc
  printf "| docker save of BuildKit'"'"'s 500 MB image (for scale) | | %.2f s | |\n", ks/1e9
  printf "\n| build | mdock as root | mdock rootless | rootless takes |\n|---|---|---|---|\n"
  rl("20 steps, cold", mc2, rc)
  rl("20 steps, fully cached", mh2, rh)
  rl("COPY 500 MB / 20,000 files, cold", mbc2, rbc)
  rl("COPY 500 MB / 20,000 files, cached", mbh2, rbh)
}
function rl(what, m, r) {
  printf "| %s | %.3f s | %.3f s | %.2fx root'"'"'s time |\n", what, m/1e9, r/1e9, r/m
}
function row(what, m, k, b) {
  printf "| %s | %.3f s | %.3f s | %.1fx faster | %.2f s | %.1fx faster |\n", what, m/1e9, k/1e9, k/m, b/1e9, b/m
}'
