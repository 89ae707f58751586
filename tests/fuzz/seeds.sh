#!/bin/sh
# seeds.sh DIR - a seed corpus per fuzz target under DIR: Dockerfiles from
# testdata and ../shared/corpus for the parser, IR and lint targets;
# .dockerignore files and paths for the ignore target; references and
# WWW-Authenticate challenges for the registry target.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=${MDK_CORPUS:-$ROOT/../shared/corpus}
OUT=$1
rm -rf "$OUT"
mkdir -p "$OUT/fuzz_parse" "$OUT/fuzz_ir" "$OUT/fuzz_lint" "$OUT/fuzz_ignore" \
  "$OUT/fuzz_registry" "$OUT/fuzz_regdoc"
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
