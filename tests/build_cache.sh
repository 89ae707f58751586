#!/bin/sh
# build_cache.sh - per-layer caching: an unchanged rebuild reuses every
# layer; an edited context file rebuilds the ops that read it and the ones
# after them, nothing before; a re-tagged base or COPY --from image
# rebuilds; --no-cache rebuilds everything; the image is the same either way.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-cache.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
export SOURCE_DATE_EPOCH=1700000000
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
# build CTX: one line per step that has a cache key, from the JSON progress
# events that end a step: "<name>: <status>" (cached, done, unchanged,
# failed); the name is BuildKit's ("[1/3] COPY a /a")
build() {
  (cd "$1" && shift && "$MDOCK" build --progress json "$@" . 2>&1 >/dev/null) |
    grep '^{' | jq -r 'select(.key != null and .status != null) | "\(.name): \(.status)"'
}
count() { printf '%s\n' "$1" | grep -c ": $2\$"; }

mkdir -p "$WORK/b1" "$WORK/b2" "$WORK/c"
echo one > "$WORK/b1/f"; printf 'FROM scratch\nCOPY f /base\n' > "$WORK/b1/Dockerfile"
echo two > "$WORK/b2/f"; printf 'FROM scratch\nCOPY f /base\n' > "$WORK/b2/Dockerfile"
(cd "$WORK/b1" && "$MDOCK" build -q -t base:1 . >/dev/null) || bad "base build"
echo a > "$WORK/c/a"; echo b > "$WORK/c/b"
cat > "$WORK/c/Dockerfile" <<'EOF'
FROM base:1
COPY a /a
COPY b /b
COPY --from=base:1 /base /copied
ENV X=1
EOF
out=$(build "$WORK/c" -t app)
[ "$(count "$out" done)" = 3 ] || bad "first build: $out"
d1=$(cd "$WORK/c" && "$MDOCK" build -q -t app .)
out=$(build "$WORK/c" -t app)
[ "$(count "$out" cached)" = 3 ] || bad "unchanged rebuild is not fully cached: $out"
# a new mtime, the same content: nothing rebuilds
touch -d '2030-01-01' "$WORK/c/a" "$WORK/c/b"
out=$(build "$WORK/c" -t app)
[ "$(count "$out" cached)" = 3 ] || bad "touching files rebuilt: $out"
echo b2 > "$WORK/c/b"
out=$(build "$WORK/c" -t app)
printf '%s\n' "$out" | grep -q "COPY a /a: cached" || bad "COPY a should stay cached: $out"
printf '%s\n' "$out" | grep -q "COPY b /b: done" || bad "COPY b should rebuild: $out"
printf '%s\n' "$out" | grep -q "copied: done" || bad "ops after a rebuilt one rebuild: $out"
echo b > "$WORK/c/b"
d2=$(cd "$WORK/c" && "$MDOCK" build -q -t app .)
[ "$d1" = "$d2" ] || bad "the same input after an edit and back gives $d2, not $d1"
# re-point base:1 at another image: everything rebuilds
(cd "$WORK/b2" && "$MDOCK" build -q -t base:1 . >/dev/null) || bad "second base build"
out=$(build "$WORK/c" -t app)
[ "$(count "$out" done)" = 3 ] || bad "a re-tagged base must rebuild: $out"
out=$(build "$WORK/c" --no-cache -t app)
[ "$(count "$out" done)" = 3 ] || bad "--no-cache must rebuild: $out"
d3=$(cd "$WORK/c" && "$MDOCK" build -q -t app .)
d4=$(cd "$WORK/c" && "$MDOCK" build -q --no-cache -t app .)
[ "$d3" = "$d4" ] || bad "--no-cache gives another image ($d4, not $d3)"
# "# mdock force-build" above an instruction: it and what follows rebuild
cat > "$WORK/c/Dockerfile.force" <<'EOF'
FROM base:1
COPY a /a
# mdock force-build
COPY b /b
COPY a /a2
EOF
build "$WORK/c" -f Dockerfile.force -t force >/dev/null
out=$(build "$WORK/c" -f Dockerfile.force -t force)
printf '%s\n' "$out" | grep -q "COPY a /a: cached" || bad "force-build: the op before should stay cached: $out"
[ "$(count "$out" done)" = 2 ] || bad "force-build: the forced op and the next should rebuild: $out"
# --no-cache-filter: one stage rebuilds
printf 'FROM base:1 AS one\nCOPY a /a\nFROM base:1 AS two\nCOPY --from=one /a /b\n' > "$WORK/c/Dockerfile.stages"
build "$WORK/c" -f Dockerfile.stages >/dev/null
out=$(build "$WORK/c" -f Dockerfile.stages --no-cache-filter two)
{ [ "$(count "$out" cached)" = 1 ] && [ "$(count "$out" done)" = 1 ]; } || bad "--no-cache-filter two: $out"
# MDOCK_FORCE_BUILD=1 (Modal's MODAL_FORCE_BUILD) rebuilds everything
out=$(MDOCK_FORCE_BUILD=1 build "$WORK/c" -f Dockerfile.stages)
[ "$(count "$out" done)" = 2 ] || bad "MDOCK_FORCE_BUILD: $out"
# Modal's dockerfile_commands: chained builds reuse each other's layers
echo 'print(1)' > "$WORK/app.py"
out=$(build "$WORK" --from base:1 --command 'COPY /app.py /srv/app.py' --context-file "app.py=$WORK/app.py" -t m1)
[ "$(count "$out" done)" = 1 ] || bad "commands build: $out"
out=$(build "$WORK" --from base:1 --command 'COPY /app.py /srv/app.py' --command 'ENV X=1' --context-file "app.py=$WORK/app.py" -t m2)
[ "$(count "$out" cached)" = 1 ] || bad "a second commands build should reuse the COPY: $out"
"$MDOCK" inspect --format config m2 | grep -q '"X=1"' || bad "commands build config"
# COPY/ADD --link: the layer is made on an empty root, so editing a RUN
# above it rebuilds that RUN and the steps after it, never the link layer
# (BuildKit's rebase); the image is the parent's layers plus that layer,
# whose directory replaces a symlink of the parent (it follows none)
busybox_context "$WORK/bb"
(cd "$WORK/bb" && "$MDOCK" build -q -t busybox:link . >/dev/null) || bad "busybox build"
mkdir -p "$WORK/l"
echo linked > "$WORK/l/f"
cat > "$WORK/l/Dockerfile" <<'EOF'
FROM busybox:link
ARG V=1
RUN echo "$V" > /before && mkdir /real && ln -s /real /app-link
COPY --link f /app/f
ADD --link --chmod=0600 f /app-link/f2
RUN cat /app/f /before > /after && { test -d /app-link && ! test -L /app-link && echo dir; ls /real | wc -l; } > /kinds
EOF
out=$(build "$WORK/l" -t link)
[ "$(count "$out" done)" = 4 ] || bad "link: first build: $out"
out=$(build "$WORK/l" --build-arg V=2 -t link)
printf '%s\n' "$out" | grep -q 'RUN echo .*: done' || bad "link: the edited RUN should rebuild: $out"
printf '%s\n' "$out" | grep -q 'COPY --link f /app/f: cached' || bad "link: COPY --link should stay cached: $out"
printf '%s\n' "$out" | grep -q 'ADD .*--link .*: cached' || bad "link: ADD --link should stay cached: $out"
printf '%s\n' "$out" | grep -q 'RUN cat .*: done' || bad "link: the step after should rebuild: $out"
got=$("$MDOCK" run --rm link sh -c 'cat /after /kinds; stat -c %a /app-link/f2' | tr '\n' ' ')
[ "$got" = "linked 2 dir 0 600 " ] || bad "link: the final tree: $got"
out=$(build "$WORK/l" --build-arg V=2 -t link)
[ "$(count "$out" cached)" = 4 ] || bad "link: an unchanged rebuild is not fully cached: $out"
echo "build cache: $fail failed"
[ $fail -eq 0 ]
