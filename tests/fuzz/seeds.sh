#!/bin/sh
# seeds.sh DIR - a seed corpus per fuzz target under DIR: Dockerfiles from
# testdata and ../shared/corpus for the parser, IR and lint targets;
# .dockerignore files and paths for the ignore target; references and
# WWW-Authenticate challenges for the registry target.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=${MDK_CORPUS:-$ROOT/../shared/corpus}
. "$ROOT/tests/lib.sh"
corpus_or_skip "fuzz seeds from the corpus (testdata seeds still used)" \
  "$CORPUS" || true
OUT=$1
rm -rf "$OUT"
mkdir -p "$OUT/fuzz_parse" "$OUT/fuzz_ir" "$OUT/fuzz_lint" "$OUT/fuzz_ignore" \
  "$OUT/fuzz_registry" "$OUT/fuzz_regdoc" "$OUT/fuzz_layer" "$OUT/fuzz_image"
OUT=$(cd "$OUT" && pwd)
n=0
for f in "$CORPUS"/real/*/* "$CORPUS"/buildkit-parser/*/Dockerfile* \
         "$ROOT"/testdata/errors/*.Dockerfile "$ROOT"/testdata/lint/*/Dockerfile \
         "$ROOT"/testdata/ir/*/Dockerfile "$ROOT"/testdata/build/*/Dockerfile; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  for t in fuzz_parse fuzz_ir fuzz_lint; do cp "$f" "$OUT/$t/seed$n"; done
done
i=0
for f in $(find "$ROOT/testdata" -name .dockerignore -o -name '*.dockerignore'); do
  i=$((i + 1))
  { cat "$f"; printf '\0a/b\0secret.txt\0dir/sub/file\0.git/config\0'; } > "$OUT/fuzz_ignore/seed$i"
done
printf '**/*.log\n!keep.log\n/build\n# c\n[a-c]?.txt\0x.log\0keep.log\0build/x\0b1.txt\0' \
  > "$OUT/fuzz_ignore/seed-patterns"
j=0
for s in busybox library/busybox:1.36 ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
         localhost:5000/a/b:tag 127.0.0.1:5000/x \
         'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"' \
         'Basic realm="Registry Realm"'; do
  j=$((j + 1))
  printf '%s' "$s" > "$OUT/fuzz_registry/seed$j"
done
D=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":123},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":456}]}' \
  "$D" "$D" > "$OUT/fuzz_regdoc/manifest"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"%s","size":9,"platform":{"os":"linux","architecture":"arm64"}},{"digest":"%s","size":9,"platform":{"os":"linux","architecture":"amd64"}}]}' \
  "$D" "$D" > "$OUT/fuzz_regdoc/index"
echo "fuzz seeds: $n Dockerfiles, $i ignore files, $j references and challenges"
# layer tars: files, directories, links, a whiteout and an opaque marker,
# plain, gzip'd and zstd'd; one with names that climb out (tar -P)
L=$OUT/fuzz_layer
mkdir -p "$L"
T=$(mktemp -d)
mkdir -p "$T/l/etc/sub" "$T/l/usr/bin"
echo hello > "$T/l/etc/hosts"
printf '#!/bin/sh\necho hi\n' > "$T/l/usr/bin/tool"
chmod 4755 "$T/l/usr/bin/tool"
ln -s ../etc/hosts "$T/l/usr/bin/hosts"
ln "$T/l/etc/hosts" "$T/l/etc/hosts.hard"
: > "$T/l/etc/.wh.gone"
: > "$T/l/etc/sub/.wh..wh..opq"
ln -s /etc "$T/l/abs"
(cd "$T/l" && tar --format=pax -cf "$L/plain.tar" .)
(cd "$T/l" && tar --format=gnu -cf "$L/gnu.tar" etc usr)
(cd "$T/l" && tar --format=ustar -cf "$L/ustar.tar" etc)
gzip -9 -n -c "$L/plain.tar" > "$L/plain.tar.gz"
if command -v zstd >/dev/null; then zstd -q -c "$L/plain.tar" > "$L/plain.tar.zst"; fi
(cd "$T/l/etc" && tar -cPf "$L/climb.tar" ../etc/hosts "$T/l/etc/hosts")
rm -rf "$T"
# image documents: a manifest naming @CONFIG@, a NUL, then the config
I=$OUT/fuzz_image
mkdir -p "$I"
cfg='{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin:/bin","A=b=c"],"User":"1000:1000","WorkingDir":"/app","Entrypoint":["/bin/sh","-c"],"Cmd":["echo"],"OnBuild":["RUN echo hi","ENV X=1"],"Labels":{"a":"b"},"ExposedPorts":{"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":["'$D'"]},"history":[{"created_by":"x"}]}'
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"@CONFIG@","size":1},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":456}]}\0%s' \
  "$D" "$cfg" > "$I/manifest"
printf '{"schemaVersion":2,"config":{"digest":"@CONFIG@"},"layers":[]}\0{"config":{"Env":["NOEQ","K="]},"rootfs":{"diff_ids":[]}}' > "$I/empty"
# what a fuzzer once crashed on (testdata/fuzz/TARGET/): always a seed
for d in "$ROOT"/testdata/fuzz/fuzz_*; do
  [ -d "$d" ] && cp "$d"/* "$OUT/$(basename "$d")/"
done
echo "fuzz seeds: $(ls "$L" | wc -l) layer tars, $(ls "$I" | wc -l) image documents"
