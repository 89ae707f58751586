#!/bin/sh
# buildkit_history.sh - the image history against the real BuildKit: a
# private dockerd (Debian's docker.io, BuildKit inside, no networking of
# its own) builds each case of testdata/buildkit-history with `docker build
# --network none`; mdock builds the same; every history entry's created_by
# and comment, and which entries have layers, must be the same, and so
# must the image config BuildKit made and mdock's (docker image inspect's
# Config, Architecture, Os: every field, ArgsEscaped and an empty image's
# WorkingDir "/" included).  Then
# mdock's image is saved and loaded into that dockerd: `docker image
# inspect`'s Id, RepoTags, Comment, Config, RootFS, Architecture, Os,
# Created, Size,
# and `docker history`'s rows, must be mdock's own.
#
# Known differences, from dockerd 20.10's older BuildKit (mdock follows
# current BuildKit's dockerfile2llb): HEALTHCHECK is recorded as a Go
# pointer to the old struct (&{["CMD-SHELL" ...] "30s" ...}) where current
# BuildKit writes %+v of the config ({Test:[...] Interval:30s ...}), and
# EXPOSE as a map (map[443/udp:{} 80/tcp:{}]) where current BuildKit lists
# the ports in order ([80/tcp 443/udp]).  Those two kinds are compared in
# their current form against texts pinned in the case (expected.current),
# with the ARG and COPY --chown/--chmod entries 20.10 records in an older
# way (no --chown, no value from --build-arg); a case's older.sed puts
# other older records in the current form (a RUN that changes nothing: an
# empty layer in 20.10, an empty_layer entry now).
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASES=$(cd "$(dirname "$0")/../testdata/buildkit-history" && pwd)
WORK=$(mktemp -d /tmp/mdock-bk.XXXXXX)
cleanup() {
  stop_dockerd "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
start_dockerd "$WORK" || { echo "buildkit history: FAILED"; exit 1; }
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t busybox:t -o "type=docker-archive,dest=$WORK/bb.tar" . >/dev/null) ||
  { echo "cannot build busybox"; exit 1; }
$D load -i "$WORK/bb.tar" >/dev/null || { echo "docker load failed"; exit 1; }

# history, oldest first: "created_by|comment|layer or empty"
mdock_hist() {
  "$MDOCK" inspect --format history "$1" |
    jq -r '.[] | "\(.created_by)|\(.comment)|\(if .empty_layer then "empty" else "layer" end)"'
}
# the same from the config docker save writes (it has empty_layer)
docker_hist() {
  rm -rf "$WORK/save" && mkdir -p "$WORK/save"
  $D save "$1" | tar -x -C "$WORK/save" || return 1
  jq -r '.history[] | "\(.created_by)|\(.comment)|\(if .empty_layer then "empty" else "layer" end)"' \
    < "$WORK/save/$(jq -r '.[0].Config' "$WORK/save/manifest.json")"
}
# what dockerd 20.10's BuildKit does not record yet, taken out of mdock's
# (current BuildKit's) text for the comparison: COPY --chown/--chmod, and
# an ARG's value when it came from --build-arg (the cases pin the current
# form in expected.current)
OLDER='s/ --chown=[^ ]*//; s/ --chmod=[^ ]*//'
n=0
for c in "$CASES"/*/; do
  name=$(basename "$c")
  n=$((n + 1))
  args=""
  [ -f "$c/args" ] && args=$(cat "$c/args")
  # shellcheck disable=SC2086
  (cd "$c" && DOCKER_BUILDKIT=1 $D build --network none $args -t "bk-$name:d" . >"$WORK/d.log" 2>&1) ||
    { bad "$name: docker build failed: $(tail -5 "$WORK/d.log")"; continue; }
  # shellcheck disable=SC2086
  (cd "$c" && "$MDOCK" build -q $args -t "bk-$name:m" . >/dev/null 2>"$WORK/m.log") ||
    { bad "$name: mdock build failed: $(tail -5 "$WORK/m.log")"; continue; }
  docker_hist "bk-$name:d" > "$WORK/d.txt"
  mdock_hist "bk-$name:m" > "$WORK/m.txt"
  # a case's older.sed: what 20.10 records in an older way, put in the
  # current form (a RUN that changes nothing is an empty_layer entry now)
  if [ -f "$c/older.sed" ]; then
    sed -f "$c/older.sed" "$WORK/d.txt" > "$WORK/d.now"
  else
    cp "$WORK/d.txt" "$WORK/d.now"
  fi
  grep -v '^HEALTHCHECK \|^EXPOSE ' "$WORK/d.now" > "$WORK/d.cmp"
  older=$OLDER
  for kv in $(printf '%s\n' "$args" | sed -n 's/.*--build-arg \([^ ]*\).*/\1/p'); do
    older="$older; s/^ARG ${kv%%=*}=${kv#*=}|/ARG ${kv%%=*}|/"
  done
  grep -v '^HEALTHCHECK \|^EXPOSE ' "$WORK/m.txt" | sed "$older" > "$WORK/m.cmp"
  if ! diff -u "$WORK/d.cmp" "$WORK/m.cmp" > "$WORK/diff"; then
    bad "$name: history differs from BuildKit's:"
    cat "$WORK/diff"
  fi
  # the entries 20.10 cannot check, pinned in current BuildKit's form
  grep '^HEALTHCHECK \|^EXPOSE \|^ARG \|--chown=\|--chmod=' "$WORK/m.txt" |
    cut -d'|' -f1 > "$WORK/cur"
  if [ "${MDK_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$WORK/cur" "$c/expected.current"
  fi
  diff -u "$c/expected.current" "$WORK/cur" > "$WORK/diff" ||
    { bad "$name: entries differ from current BuildKit's texts (expected.current):"; cat "$WORK/diff"; }
  # the config BuildKit made and the one mdock made, field by field
  for f in Config Architecture Os; do
    dv=$($D image inspect --format "{{json .$f}}" "bk-$name:d")
    mv=$("$MDOCK" inspect --format "{{json .$f}}" "bk-$name:m")
    [ "$dv" = "$mv" ] || bad "$name: BuildKit's .$f is $dv, mdock's $mv"
  done
  # the same image loaded into dockerd: docker image inspect's fields and
  # docker history's rows against mdock's
  "$MDOCK" save "bk-$name:m" | $D load >/dev/null 2>"$WORK/l.log" ||
    { bad "$name: docker load of mdock's save failed: $(tail -3 "$WORK/l.log")"; continue; }
  for f in Id RepoTags Comment Config RootFS Architecture Os Created Size; do
    dv=$($D image inspect --format "{{json .$f}}" "bk-$name:m")
    mv=$("$MDOCK" inspect --format "{{json .$f}}" "bk-$name:m")
    [ "$dv" = "$mv" ] || bad "$name: inspect .$f: docker $dv, mdock $mv"
  done
  [ "$($D image inspect --format '{{.Config.Env}} {{.Config.Entrypoint}} {{.Config.Labels}} {{range .RootFS.Layers}}{{.}},{{end}}' "bk-$name:m")" = \
    "$("$MDOCK" inspect --format '{{.Config.Env}} {{.Config.Entrypoint}} {{.Config.Labels}} {{range .RootFS.Layers}}{{.}},{{end}}' "bk-$name:m")" ] ||
    bad "$name: a template prints differently"
  # history row for row: ID, CREATED BY, COMMENT and SIZE (header: the same)
  hf='{{.ID}}|{{.CreatedBy}}|{{.Comment}}|{{.Size}}'
  $D history --no-trunc --format "$hf" "bk-$name:m" > "$WORK/dh" 2>&1
  "$MDOCK" history --no-trunc --format "$hf" "bk-$name:m" > "$WORK/mh" 2>&1
  diff -u "$WORK/dh" "$WORK/mh" > "$WORK/diff" ||
    { bad "$name: history differs from docker history's:"; cat "$WORK/diff"; }
  # the default table whole with --human=false (times and sizes as they
  # are: nothing moves between the two commands)
  $D history --human=false "bk-$name:m" > "$WORK/dh" 2>&1
  "$MDOCK" history --human=false "bk-$name:m" > "$WORK/mh" 2>&1
  diff -u "$WORK/dh" "$WORK/mh" > "$WORK/diff" ||
    { bad "$name: history --human=false differs from docker's:"; cat "$WORK/diff"; }
  # times in the local zone, as docker's CLI prints them (a zone with a
  # half-hour offset: Go's RFC 3339 +05:30, time.String()'s +0530 IST)
  for v in "history --human=false --format {{.CreatedAt}}" \
           "images --format {{.CreatedAt}}"; do
    # shellcheck disable=SC2086
    dv=$(TZ=Asia/Kolkata $D $v "bk-$name:m" 2>&1)
    # shellcheck disable=SC2086
    mv=$(TZ=Asia/Kolkata "$MDOCK" $v "bk-$name:m" 2>&1)
    [ "$dv" = "$mv" ] || bad "$name: TZ=Asia/Kolkata $v: docker $dv, mdock $mv"
  done
  # the human table's header: its CREATED column is as wide as the longest
  # "N seconds ago", which can change between the two commands (9 -> 10
  # seconds): the same header in one of three tries
  same=0
  for _try in 1 2 3; do
    dh=$($D history "bk-$name:m" | head -1)
    [ "$dh" = "$("$MDOCK" history "bk-$name:m" | head -1)" ] && { same=1; break; }
  done
  [ $same = 1 ] || bad "$name: history header: docker's $dh"
done
# docker images' operand and filters over the loaded images (the mdock
# builds, :m in both stores; docker's also has the :d builds): the same
# rows, sorted (images made in one second are in no defined order), and
# newest first where the seconds differ
imgf='{{.Repository}}:{{.Tag}} {{.ID}} {{.CreatedAt}}'
first=$(ls "$CASES" | head -1)
last=$(ls "$CASES" | tail -1)
for q in "bk-*:m" "-f reference=bk-*:m" "-f reference=bk-*:m -f label=from" \
         "-f reference=bk-*:m -f label=l=v" "-f reference=bk-*:m -f label=l=w" \
         "-f reference=bk-*:m -f since=bk-$first:m" \
         "-f reference=bk-*:m -f before=bk-$last:m" \
         "-f reference=bk-*:m -f dangling=false" "-f reference=bk-*:m -f dangling=true" \
         "bk-$first:m" "bk-$first" "-f reference=bk-$first -f reference=bk-$last"; do
  # shellcheck disable=SC2086
  $D images --format "$imgf" $q > "$WORK/di" 2>&1
  # shellcheck disable=SC2086
  "$MDOCK" images --format "$imgf" $q > "$WORK/mi" 2>&1
  grep -v '^bk-[^ ]*:d ' "$WORK/di" | sort > "$WORK/dis"
  sort "$WORK/mi" > "$WORK/mis"
  diff -u "$WORK/dis" "$WORK/mis" > "$WORK/diff" ||
    { bad "images $q differs from docker's:"; cat "$WORK/diff"; }
  # the order: the times in mdock's rows never increase
  cut -d' ' -f3- "$WORK/mi" | sort -rc 2>/dev/null || bad "images $q: not newest first"
done
echo "buildkit history: $n cases against dockerd $($D version --format '{{.Server.Version}}'), $fail failed"
[ $fail -eq 0 ]
