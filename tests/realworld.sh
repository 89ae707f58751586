#!/bin/sh
# realworld.sh MDOCK [N] - real Dockerfiles from ../shared/corpus/real built
# by mdock and by the real BuildKit (a private dockerd, as in
# tests/differential_buildkit.sh) on the same Debian base, and compared:
# files (paths, types, modes, owners, sizes, content hashes, link targets,
# both unpacked by umoci), config (docker image inspect of both) and
# history.  `make realworld` builds every line of tests/realworld/
# manifest.tsv; `make test` the first N=3.  Prints each builder's cold and
# cached times, and a Markdown table in $MDK_REALWORLD_REPORT when set.
#
# The base: `mmdebstrap --variant=minbase bookworm` from Debian's mirror
# ($MDK_DEBIAN_MIRROR, default http://deb.debian.org/debian), kept in
# $MDK_REALWORLD_CACHE (default /var/cache/mdock-realworld) for a week;
# mdock makes it an image (FROM scratch, ADD of the tar, CMD ["bash"] as
# Debian's images have), tagged debian:bookworm, debian:bookworm-slim and
# debian:12, and dockerd loads that same image.  RUN steps reach the mirror
# (apt over plain HTTP): dockerd builds with --network host, mdock with its
# default network.
#
# Files two runs of apt make differently whoever runs them, left out of the
# comparison (APT_NOISE below): logs (/var/log), apt's binary caches
# (/var/cache/apt/*.bin), ldconfig's aux-cache, debconf's and dpkg's *-old
# backups, the package lists an image did not delete, fontconfig's caches
# (they hold the font directories' mtimes) and the machine-id a package's
# script draws at random.  A Dockerfile's
# COPY sources are generated as placeholders (a small executable script).
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
N=${2:-0}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${MDK_CORPUS:-$HERE/../shared/corpus}
MANIFEST=$HERE/tests/realworld/manifest.tsv
MIRROR=${MDK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${MDK_REALWORLD_CACHE:-/var/cache/mdock-realworld}
corpus_or_skip "real-world builds" "$CORPUS/real" || exit 0
WORK=$(mktemp -d /tmp/mdock-rw.XXXXXX)
cleanup() {
  stop_dockerd "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT
export MDOCK_ROOT="$WORK/store"
APT_NOISE='^\./var/log/|^\./var/cache/apt/[^/]*\.bin |^\./var/cache/ldconfig/aux-cache |^\./var/cache/debconf/[^ ]*-old |^\./var/lib/dpkg/[^ ]*-old |^\./var/lib/apt/lists/|^\./var/cache/fontconfig/[^ ]*\.cache-[0-9]+ |^\./etc/machine-id |^\./var/lib/dbus/machine-id '
fail=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
for t in mmdebstrap umoci skopeo jq; do
  command -v $t >/dev/null || { echo "real-world builds: $t is missing (make deps)"; exit 1; }
done
start_dockerd "$WORK" || { echo "real-world builds: FAILED"; exit 1; }

# the base, made once a week
mkdir -p "$CACHE"
if [ -z "$(find "$CACHE/bookworm.tar" -mtime -7 2>/dev/null)" ]; then
  echo "real-world builds: mmdebstrap --variant=minbase bookworm from $MIRROR"
  mmdebstrap --variant=minbase --quiet bookworm "$CACHE/bookworm.new.tar" "$MIRROR" \
    > "$WORK/mmdebstrap.log" 2>&1 && mv "$CACHE/bookworm.new.tar" "$CACHE/bookworm.tar" ||
    { echo "real-world builds: FAILED: mmdebstrap: $(tail -5 "$WORK/mmdebstrap.log")"; exit 1; }
fi
mkdir -p "$WORK/base"
ln "$CACHE/bookworm.tar" "$WORK/base/bookworm.tar" 2>/dev/null ||
  cp "$CACHE/bookworm.tar" "$WORK/base/bookworm.tar"
printf 'FROM scratch\nADD bookworm.tar /\nCMD ["bash"]\n' > "$WORK/base/Dockerfile"
(cd "$WORK/base" && "$MDOCK" build -q -t debian:bookworm \
   -o "type=docker-archive,dest=$WORK/base.tar" . >/dev/null 2>"$WORK/err") &&
  $D load -i "$WORK/base.tar" >/dev/null ||
  { echo "real-world builds: FAILED: the base image: $(tail -3 "$WORK/err")"; exit 1; }
rm -f "$WORK/base.tar" "$WORK/base/bookworm.tar"
for t in debian:bookworm-slim debian:12; do
  "$MDOCK" tag debian:bookworm "$t" && $D tag debian:bookworm "$t" ||
    { echo "real-world builds: FAILED: tagging $t"; exit 1; }
done

# COPY/ADD sources of the context, as placeholders
placeholders() { # dir
  sed -n 's/^[[:space:]]*\(COPY\|ADD\)[[:space:]]\+//Ip' "$1/Dockerfile" | grep -v -- '--from=' |
    while read -r line; do
      # shellcheck disable=SC2086
      set -- $line
      while [ $# -gt 1 ]; do
        case "$1" in
          --*) ;;
          *) f=${1#/}
             [ -e "$f" ] || { mkdir -p "$(dirname "$f")"
               printf '#!/bin/sh\n# placeholder (tests/realworld.sh)\nexit 0\n' > "$f"
               chmod 0755 "$f"; } ;;
        esac
        shift
      done
    done
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ -n "${MDK_REALWORLD_REPORT:-}" ] && {
  echo "| Dockerfile | BuildKit cold | mdock cold | BuildKit cached | mdock cached | result |"
  echo "|---|---|---|---|---|---|"
} > "${MDK_REALWORLD_REPORT:-/dev/null}"
i=0
grep -v '^#' "$MANIFEST" | while IFS='	' read -r name path rewrite; do
  [ -n "$name" ] || continue
  i=$((i + 1))
  [ "$N" -gt 0 ] && [ $i -gt "$N" ] && break
  c="$WORK/c/$name"
  mkdir -p "$c"
  sed -e "$rewrite" "$CORPUS/real/$path" > "$c/Dockerfile"
  (cd "$c" && placeholders .)
  t0=$(now)
  (cd "$c" && DOCKER_BUILDKIT=1 $D build --network host -t "rw-$name:d" . >"$WORK/d.log" 2>&1)
  drc=$?
  t1=$(now)
  (cd "$c" && "$MDOCK" build -q -t "rw-$name:m" . >/dev/null 2>"$WORK/m.log")
  mrc=$?
  t2=$(now)
  (cd "$c" && DOCKER_BUILDKIT=1 $D build --network host -t "rw-$name:d" . >/dev/null 2>&1)
  t3=$(now)
  (cd "$c" && "$MDOCK" build -q -t "rw-$name:m" . >/dev/null 2>&1)
  t4=$(now)
  times="$(secs "$t0" "$t1") s | $(secs "$t1" "$t2") s | $(secs "$t2" "$t3") s | $(secs "$t3" "$t4") s"
  result=same
  if [ $drc -ne 0 ] && [ $mrc -ne 0 ]; then
    echo "both fail $name: $(grep -i 'unable\|error' "$WORK/m.log" | head -2 | tr '\n' ' ')"
    result="both fail"
  elif [ $drc -ne 0 ]; then
    bad "$name" "only BuildKit failed: $(tail -4 "$WORK/d.log")"; result=differs
  elif [ $mrc -ne 0 ]; then
    bad "$name" "only mdock failed: $(tail -4 "$WORK/m.log")"; result=differs
  else
    $D save -o "$WORK/d.tar" "rw-$name:d" && "$MDOCK" save "rw-$name:m" > "$WORK/m.tar" &&
      image_tree "$WORK/d.tar" "$WORK/d.all" && image_tree "$WORK/m.tar" "$WORK/m.all" ||
      { bad "$name" "cannot unpack: $(tail -2 "$WORK/it.log")"; continue; }
    grep -v -E "$APT_NOISE" "$WORK/d.all" > "$WORK/d.files"
    grep -v -E "$APT_NOISE" "$WORK/m.all" > "$WORK/m.files"
    if ! diff -u "$WORK/d.files" "$WORK/m.files" > "$WORK/diff"; then
      bad "$name" "files differ (- BuildKit, + mdock):"; head -20 "$WORK/diff"; result=differs
    fi
    $D load -i "$WORK/m.tar" >/dev/null 2>&1 || { bad "$name" "docker load of mdock's image"; result=differs; }
    for f in Config Architecture Os; do
      dv=$($D image inspect --format "{{json .$f}}" "rw-$name:d")
      mv=$($D image inspect --format "{{json .$f}}" "rw-$name:m")
      [ "$dv" = "$mv" ] || { bad "$name" ".$f: BuildKit $dv, mdock $mv"; result=differs; }
    done
    image_history "$WORK/d.tar" "$WORK/d.hist" && image_history "$WORK/m.tar" "$WORK/m.hist" &&
      bk_history_norm "$WORK/d.hist" "$WORK/m.hist" "$WORK/d.h" "$WORK/m.h" &&
      diff -u "$WORK/d.h" "$WORK/m.h" > "$WORK/diff" ||
      { bad "$name" "history differs (- BuildKit, + mdock):"; head -20 "$WORK/diff"; result=differs; }
    rm -f "$WORK/d.tar" "$WORK/m.tar"
  fi
  echo "$name: BuildKit cold $(secs "$t0" "$t1") s, mdock cold $(secs "$t1" "$t2") s; cached $(secs "$t2" "$t3") s / $(secs "$t3" "$t4") s: $result"
  echo "| $path | $times | $result |" >> "${MDK_REALWORLD_REPORT:-/dev/null}"
  [ "$result" = same ] && echo "$name" >> "$WORK/passed"
  [ "$result" = differs ] && echo "$name" >> "$WORK/failed"
  $D rmi -f "rw-$name:d" "rw-$name:m" >/dev/null 2>&1
  "$MDOCK" rmi "rw-$name:m" >/dev/null 2>&1
done
pass=$(cat "$WORK/passed" 2>/dev/null | wc -l)
fail=$(cat "$WORK/failed" 2>/dev/null | wc -l)
echo "real-world builds: $pass the same in both builders, $fail differ"

# Debian's own useradd, groupadd and usermod, a setgid directory and USER,
# built as root and rootless (a user with a subuid range): the same image
U=mdkrootless
subid_user $U 200000
R="$WORK/rootless"
mkdir -p "$R/u"
chmod 0755 "$WORK" "$R"
chown $U "$R"
printf '%s\n' 'FROM debian:bookworm' \
  'RUN useradd -m -u 1234 -s /bin/bash bob && groupadd -g 4321 devs && \' \
  '    usermod -aG devs bob && mkdir /srv/data && chown bob:devs /srv/data && \' \
  '    chmod 2770 /srv/data' \
  'USER bob' \
  'RUN touch /srv/data/mine && id > /home/bob/id' > "$R/u/Dockerfile"
chmod -R a+rX "$R/u"
"$MDOCK" save debian:bookworm -o "$R/base.tar" && chmod a+r "$R/base.tar"
cp "$MDOCK" "$R/mdock"      # the checkout may be closed to other users
want_id=$(cd "$R/u" && SOURCE_DATE_EPOCH=1700000000 "$MDOCK" build -q -t rw-users .)
got_id=$(runuser -u $U -- env -i PATH=/usr/bin:/bin HOME="$R" MDOCK_ROOT="$R/store" \
  SOURCE_DATE_EPOCH=1700000000 sh -c "$R/mdock load -i $R/base.tar >/dev/null && cd $R/u && $R/mdock build -q ." 2>"$WORK/err")
if [ -n "$want_id" ] && [ "$want_id" = "$got_id" ]; then
  echo "useradd rootless: the same image as root ($want_id)"
else
  echo "FAIL useradd rootless: root $want_id, rootless $got_id: $(tail -3 "$WORK/err")"
  fail=$((fail + 1))
fi
runuser -u $U -- env HOME="$R" "$R/mdock" unshare rm -rf "$R/store"
want=25
[ "$N" -gt 0 ] && want=$N
[ "$fail" -eq 0 ] && [ "$pass" -ge "$want" ]
