#!/bin/sh
# registry_pull.sh - pulls from and pushes to Debian's docker-registry on a
# loopback port, seeded by skopeo: a plain image, a two-platform index
# (linux/amd64 chosen, or --platform's), FROM pulling what the store lacks (and knowing the
# image's ENV after), a digest-pinned pull, a 404 named; build --push read
# back by skopeo, a repeat push that sends no blob, a pull by another store.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v docker-registry >/dev/null || { echo "registry: docker-registry is missing (make deps)"; exit 1; }
WORK=$(mktemp -d /tmp/mdock-reg.XXXXXX)
PORT=$(free_port $((30000 + $$ % 20000)))
RP=
trap '[ -n "$RP" ] && kill $RP 2>/dev/null; rm -rf "$WORK"' EXIT
start_registry "$WORK" "$PORT" || exit 1
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
# a busybox image, built by mdock in a store of its own, pushed by skopeo
export MDOCK_ROOT="$WORK/seed"
B="$WORK/bb"
mkdir -p "$B/bin"
cp /bin/busybox "$B/bin/busybox"
for a in sh echo cat id; do ln -s busybox "$B/bin/$a"; done
printf 'FROM scratch\nCOPY bin /bin/\nENV FROM_REGISTRY=yes PATH=/bin\nCMD ["sh"]\n' > "$B/Dockerfile"
(cd "$B" && "$MDOCK" build -q -t bb . >/dev/null) || exit 1
"$MDOCK" export bb --output "type=oci,tar=false,dest=$WORK/oci" || exit 1
skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci:bb:latest" \
  "docker://127.0.0.1:$PORT/busybox:latest" || { echo "skopeo copy failed"; exit 1; }
# a two-platform index: linux/amd64 (busybox) and linux/arm64 (another)
printf 'FROM scratch\nCOPY bin/busybox /arm\n' > "$B/Dockerfile.arm"
(cd "$B" && "$MDOCK" build -q -f Dockerfile.arm -t armish . >/dev/null)
"$MDOCK" export armish --output "type=oci,tar=false,dest=$WORK/oci2" || exit 1
skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci2:armish:latest" \
  "docker://127.0.0.1:$PORT/multi:arm64" || exit 1
AMD=$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/busybox:latest" | sha256sum | cut -d' ' -f1)
ARM=$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/multi:arm64" | sha256sum | cut -d' ' -f1)
AMDS=$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/busybox:latest" | wc -c)
ARMS=$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/multi:arm64" | wc -c)
skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci:bb:latest" \
  "docker://127.0.0.1:$PORT/multi@sha256:$AMD" >/dev/null 2>&1 ||
  skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci:bb:latest" "docker://127.0.0.1:$PORT/multi:amd64" || exit 1
cat > "$WORK/index.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$ARM","size":$ARMS,"platform":{"os":"linux","architecture":"arm64"}},
{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$AMD","size":$AMDS,"platform":{"os":"linux","architecture":"amd64"}}]}
EOF
curl -sf -X PUT -H "Content-Type: application/vnd.oci.image.index.v1+json" \
  --data-binary "@$WORK/index.json" "http://127.0.0.1:$PORT/v2/multi/manifests/latest" >/dev/null ||
  { echo "cannot push the index"; exit 1; }

# on a terminal a pull draws its live line (bytes, rate, blobs) and clears
# it; off one (this pipe) there are only the per-blob lines
if command -v script >/dev/null; then
  export MDOCK_ROOT="$WORK/store-tty"
  script -qec "$MDOCK pull 127.0.0.1:$PORT/busybox" /dev/null > "$WORK/tty.out" 2>&1 ||
    bad "pull on a terminal: $(tail -2 "$WORK/tty.out")"
  grep -q 'pulling .*MB \[.*\] .*MB/s .*/2 blobs' "$WORK/tty.out" ||
    bad "pull on a terminal: no progress line: $(cat -v "$WORK/tty.out" | head -3)"
  grep -q "$(printf '\r\033\\[K')" "$WORK/tty.out" || bad "pull on a terminal: the line is not cleared"
  export MDOCK_ROOT="$WORK/store-pipe"
  "$MDOCK" pull "127.0.0.1:$PORT/busybox" > "$WORK/pipe.out" 2>&1
  grep -q 'MB/s' "$WORK/pipe.out" && bad "a progress line off a terminal"
  grep -q '^pulled sha256:' "$WORK/pipe.out" || bad "no per-blob lines off a terminal: $(cat "$WORK/pipe.out")"
fi

# pulls into a fresh store
export MDOCK_ROOT="$WORK/store"
d=$("$MDOCK" pull -q "127.0.0.1:$PORT/busybox")
[ "$d" = "sha256:$AMD" ] || bad "pull busybox: '$d', expected sha256:$AMD"
"$MDOCK" fsck >/dev/null || bad "fsck after pull"
d=$("$MDOCK" pull -q "127.0.0.1:$PORT/multi:latest")
[ "$d" = "sha256:$AMD" ] || bad "the index should give linux/amd64 (sha256:$AMD), not $d"
d=$("$MDOCK" pull -q --platform linux/arm64 "127.0.0.1:$PORT/multi:latest")
[ "$d" = "sha256:$ARM" ] || bad "--platform linux/arm64 should give sha256:$ARM, not $d"
"$MDOCK" pull -q --platform linux/s390x "127.0.0.1:$PORT/multi:latest" >/dev/null 2>"$WORK/err" &&
  bad "a platform the index lacks was pulled"
grep -q "no linux/s390x image in the index" "$WORK/err" || bad "missing platform: $(cat "$WORK/err")"
# an architecture alone is linux/ARCH (containerd's platforms.Parse)
d=$("$MDOCK" pull -q --platform aarch64 "127.0.0.1:$PORT/multi:latest")
[ "$d" = "sha256:$ARM" ] || bad "--platform aarch64 should give sha256:$ARM, not $d"
"$MDOCK" pull -q --platform linux/arm64/v8/x "127.0.0.1:$PORT/multi:latest" >/dev/null 2>"$WORK/err" &&
  bad "an invalid platform was accepted"
grep -q "invalid platform 'linux/arm64/v8/x'" "$WORK/err" || bad "invalid platform: $(cat "$WORK/err")"
d=$("$MDOCK" pull -q "127.0.0.1:$PORT/busybox@sha256:$AMD")
[ "$d" = "sha256:$AMD" ] || bad "pull by digest: $d"
"$MDOCK" pull -q "127.0.0.1:$PORT/nope:1" 2>"$WORK/err" && bad "a missing image pulled"
grep -q "not found in the registry" "$WORK/err" || bad "404 message: $(cat "$WORK/err")"
# FROM pulls what the store lacks, and its ENV is known to the Dockerfile
export MDOCK_ROOT="$WORK/store2"
mkdir -p "$WORK/app"
printf 'FROM 127.0.0.1:%s/busybox\nENV SEEN=$FROM_REGISTRY\nRUN echo "$SEEN" > /seen\n' "$PORT" > "$WORK/app/Dockerfile"
(cd "$WORK/app" && "$MDOCK" build -q -t app . >/dev/null 2>"$WORK/err") || bad "build FROM the registry: $(cat "$WORK/err")"
"$MDOCK" inspect --format config app | grep -q '"SEEN=yes"' || bad "the pulled image's ENV was not known"
[ "$("$MDOCK" run app cat /seen 2>/dev/null)" = yes ] || bad "RUN on the pulled image"
# push: mdock build --push, read back by skopeo, pushed again with every
# blob skipped, pulled by a store that never built it
(cd "$WORK/app" && "$MDOCK" build -q --push -t "127.0.0.1:$PORT/app:1" . >/dev/null 2>"$WORK/err") ||
  bad "build --push: $(cat "$WORK/err")"
skopeo inspect --tls-verify=false "docker://127.0.0.1:$PORT/app:1" > "$WORK/insp" 2>&1 ||
  bad "skopeo cannot read the pushed image: $(cat "$WORK/insp")"
grep -q '"SEEN=yes"' "$WORK/insp" || bad "the pushed config: $(head -c 300 "$WORK/insp")"
"$MDOCK" push "127.0.0.1:$PORT/app:1" 2>"$WORK/err" >/dev/null || bad "repeat push: $(cat "$WORK/err")"
grep -q "0 blobs sent" "$WORK/err" || bad "a repeat push sent blobs: $(cat "$WORK/err")"
"$MDOCK" push "127.0.0.1:$PORT/app:1" "127.0.0.1:$PORT/other/app:2" >/dev/null 2>"$WORK/err" || bad "push to another name"
# the registry has every blob in another repository: mounted, none sent
grep -q "0 blobs sent" "$WORK/err" || bad "a push to another repository re-sent blobs: $(cat "$WORK/err")"
skopeo inspect --tls-verify=false "docker://127.0.0.1:$PORT/other/app:2" >/dev/null 2>&1 ||
  bad "the mounted image is not readable"
export MDOCK_ROOT="$WORK/store3"
[ "$("$MDOCK" run "127.0.0.1:$PORT/app:1" cat /seen 2>/dev/null)" = yes ] || {
  "$MDOCK" pull -q "127.0.0.1:$PORT/app:1" >/dev/null 2>&1
  [ "$("$MDOCK" run "127.0.0.1:$PORT/app:1" cat /seen 2>/dev/null)" = yes ] || bad "pull of the pushed image"
}
# the registry as a shared cache: a builder exports, another with an
# empty store builds the same Dockerfile and runs no step
export MDOCK_ROOT="$WORK/cache-a"
(cd "$WORK/app" && "$MDOCK" build -q --cache-to "type=registry,ref=127.0.0.1:$PORT/cache:app" -t app . >/dev/null 2>"$WORK/err") ||
  bad "build --cache-to: $(cat "$WORK/err")"
export MDOCK_ROOT="$WORK/cache-b"
out=$(cd "$WORK/app" && "$MDOCK" build --progress json --cache-from "type=registry,ref=127.0.0.1:$PORT/cache:app" -t app . 2>&1 >/dev/null |
      grep '^{' | jq -r 'select(.key != null and .status != null) | .status' | sort | uniq -c | tr -s ' ')
[ "$out" = " 1 cached" ] || bad "a build with --cache-from should run no step: $out"
# --lock writes what FROM resolved to; --locked enforces it
export MDOCK_ROOT="$WORK/lock"
(cd "$WORK/app" && "$MDOCK" build -q --lock "$WORK/lock.json" -t app . >/dev/null 2>"$WORK/err") || bad "--lock: $(cat "$WORK/err")"
grep -q "\"127.0.0.1:$PORT/busybox\": \"sha256:$AMD\"" "$WORK/lock.json" || bad "lock file: $(cat "$WORK/lock.json")"
(cd "$WORK/app" && "$MDOCK" build -q --lock "$WORK/lock.json" --locked -t app . >/dev/null 2>&1) || bad "--locked with the same digest"
sed "s/$AMD/$ARM/" "$WORK/lock.json" > "$WORK/lock2.json"
(cd "$WORK/app" && "$MDOCK" build -q --lock "$WORK/lock2.json" --locked -t app . >/dev/null 2>"$WORK/err") && bad "--locked accepted another digest"
grep -q "lock file does not record" "$WORK/err" || bad "--locked message: $(cat "$WORK/err")"
# --pull never: only the store
export MDOCK_ROOT="$WORK/never"
(cd "$WORK/app" && "$MDOCK" build -q --pull=never -t app . >/dev/null 2>&1) && bad "--pull never pulled"
export MDOCK_ROOT="$WORK/always"
(cd "$WORK/app" && "$MDOCK" build -q --pull=always -t app . >/dev/null 2>&1) || bad "--pull always"
echo "registry pull: $fail failed"
[ $fail -eq 0 ]
