#!/bin/sh
# rootless.sh - mdock as an ordinary user (no capability in the initial
# namespace: the kaniko case, a CI job that is not root), and RUN's network.
#   1. the build end-to-end suite as root and as a user with a subuid
#      range: every case passes both ways, with the same manifest digests
#      (rootless again with fuse-overlayfs instead of the kernel's overlay,
#      and with no overlay at all, a copy of the layers per RUN);
#   2. useradd-style users, chown 1000:1000, COPY --chown and a base image
#      whose files belong to several IDs: the same files, owners and
#      digests as root;
#   3. a user without subordinate IDs: one ID works for a Dockerfile that
#      needs no other, and a located error for one that does;
#   4. the network, as root and rootless: lo and tap0 only, the host's
#      loopback only through host.containers.internal (10.0.2.2) or with
#      --network=host, --network=none reaches nothing;
#   5. where user namespaces are refused, the error says what is missing;
#   6. mdock unshare, and --runtime runc rootless.
# The users are made here (useradd) and left for the next run.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK_SRC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
fail=0
pass=0
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
ok() { pass=$((pass + 1)); }

if [ "$(id -u)" -ne 0 ]; then
  echo "rootless: needs root to make its users (useradd)"; exit 1
fi
for t in newuidmap newgidmap slirp4netns; do
  command -v $t >/dev/null || { echo "rootless: $t is missing (make deps)"; exit 1; }
done
U=mdkrootless
N=mdknoids
# a range for U, none for N
subid_user $U 200000
id $N >/dev/null 2>&1 || useradd -m -s /bin/sh $N
sed -i "/^$N:/d" /etc/subuid /etc/subgid

# everything the users read, in a directory they can reach
W=$(mktemp -d /tmp/mdock-rootless.XXXXXX)
chmod 0755 "$W"
cleanup() {
  [ -n "${HP:-}" ] && kill "$HP" 2>/dev/null
  runuser -u $U -- "$W/mdock" unshare rm -rf "$W/u" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
cp "$MDOCK_SRC" "$W/mdock"
mkdir -p "$W/tree/tests" "$W/tree/testdata"
cp "$HERE/tests/lib.sh" "$HERE/tests/build_e2e.sh" "$W/tree/tests/"
cp -a "$HERE/testdata/build" "$HERE/testdata/build-epoch" "$W/tree/testdata/"
chmod -R a+rX "$W/tree"
MDOCK="$W/mdock"
mkdir -p "$W/u" "$W/n" && chown $U "$W/u" && chown $N "$W/n"

# as_user USER CMD...: a login-less shell of USER, its home and store
as_user() {
  _u=$1; shift
  runuser -u "$_u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
    HOME="$(getent passwd "$_u" | cut -d: -f6)" SOURCE_DATE_EPOCH=1700000000 \
    MDOCK_ROOT="$W/$( [ "$_u" = $U ] && echo u || echo n)/store" "$@"
}

# --- 5 and 6 first: the capability check, and unshare -------------------
cap=$(as_user $U sh -c 'grep CapEff /proc/self/status' | awk '{print $2}')
[ "$cap" = 0000000000000000 ] && ok || bad caps "the user has capabilities: $cap"
m=$(as_user $U "$MDOCK" unshare cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')
case "$m" in
  "0 $(id -u $U) 1"*"1 $(grep "^$U:" /etc/subuid | cut -d: -f2) $(grep "^$U:" /etc/subuid | cut -d: -f3)") ok ;;
  *) bad unshare "mdock unshare's map is not the user and its range: $m" ;;
esac

# --- 1. the e2e suite, root and rootless -------------------------------
(cd "$W/tree" && MDK_E2E_DIGESTS="$W/root.digests" sh tests/build_e2e.sh "$MDOCK" > "$W/root.log" 2>&1) ||
  bad e2e-root "$(tail -5 "$W/root.log")"
if as_user $U env MDK_E2E_DIGESTS="$W/u/user.digests" TMPDIR="$W/u" \
     sh -c "cd $W/tree && sh tests/build_e2e.sh $MDOCK" > "$W/user.log" 2>&1; then
  ok
else
  bad e2e-rootless "$(grep -E '^FAIL|passed' "$W/user.log" | head -10)"
fi
if [ -s "$W/root.digests" ] && cmp -s "$W/root.digests" "$W/u/user.digests"; then
  ok
  echo "rootless: $(wc -l < "$W/root.digests") e2e images, the same digests as root"
else
  bad digests "root and rootless images differ: $(diff "$W/root.digests" "$W/u/user.digests" 2>&1 | head -6)"
fi
# 1b. and with fuse-overlayfs, the rootless overlay of kernels before 5.11
if as_user $U env MDOCK_OVERLAY=fuse MDK_E2E_DIGESTS="$W/u/fuse.digests" \
     sh -c "cd $W/tree && sh tests/build_e2e.sh $MDOCK" > "$W/fuse.log" 2>&1 &&
   { for f in "$W"/tree/testdata/build/*/fuse.differs; do
       [ -f "$f" ] && basename "$(dirname "$f")"; done; } > "$W/fuse.skip" &&
   awk 'NR == FNR { skip[$1] = 1; next } !($1 in skip)' "$W/fuse.skip" "$W/root.digests" > "$W/root.fuse" &&
   cmp -s "$W/root.fuse" "$W/u/fuse.digests"; then
  ok
else
  bad fuse "rootless with fuse-overlayfs: $(grep -E '^FAIL|passed' "$W/fuse.log" | head -8) $(diff "$W/root.digests" "$W/u/fuse.digests" 2>&1 | head -6)"
fi

# 1c. and with no overlay at all: a copy of the layers per RUN
if as_user $U env MDOCK_OVERLAY=copy MDK_E2E_DIGESTS="$W/u/copy.digests" \
     sh -c "cd $W/tree && sh tests/build_e2e.sh $MDOCK" > "$W/copy.log" 2>&1 &&
   cmp -s "$W/root.digests" "$W/u/copy.digests"; then
  ok
else
  bad copy "rootless with a copy per RUN: $(grep -E '^FAIL|passed' "$W/copy.log" | head -8) $(diff "$W/root.digests" "$W/u/copy.digests" 2>&1 | head -6)"
fi

# --- 2. users, chown, a base of several owners --------------------------
mkdir -p "$W/bb" "$W/owners" "$W/users"
busybox_context "$W/bb"
cat > "$W/owners/Dockerfile" <<'EOF'
FROM busybox:rl
RUN mkdir -p /o && touch /o/a /o/b /o/c /o/d && chown 1:2 /o/a && \
    chown 1000:1000 /o/b && chown 65534:65534 /o/c && chown 4242:100 /o/d
EOF
cat > "$W/users/Dockerfile" <<'EOF'
FROM owners:rl
RUN echo 'bob:x:1234:1234::/home/bob:/bin/sh' >> /etc/passwd && \
    echo 'bob:x:1234:' >> /etc/group && mkdir -p /home/bob && \
    chown bob:bob /home/bob && echo hi > /x && chown 1000:1000 /x
COPY --chown=2000:3000 Dockerfile /copied
USER bob
RUN touch /home/bob/mine && id -u > /home/bob/uid
EOF
chmod -R a+rX "$W/bb" "$W/owners" "$W/users"
for who in root $U; do
  if [ $who = root ]; then run() { env SOURCE_DATE_EPOCH=1700000000 MDOCK_ROOT="$W/root-store" "$@"; }
  else run() { as_user $U "$@"; }; fi
  for c in bb:busybox:rl owners:owners:rl users:users:rl; do
    d=${c%%:*}; t=${c#*:}
    run sh -c "cd $W/$d && $MDOCK build -q -t $t ." > "$W/$who.$d" 2>"$W/err" ||
      bad "owners-$who" "$d: $(tail -3 "$W/err")"
  done
done
for d in bb owners users; do
  if [ -s "$W/root.$d" ] && cmp -s "$W/root.$d" "$W/$U.$d"; then ok
  else bad "owners" "$d: root $(cat "$W/root.$d") rootless $(cat "$W/$U.$d")"; fi
done
lst=$(as_user $U "$MDOCK" run --network none users:rl sh -c \
      'stat -c "%u:%g %n" /o/a /o/b /o/c /o/d /x /copied /home/bob/mine; cat /home/bob/uid' 2>&1 | tr '\n' ' ')
want="1:2 /o/a 1000:1000 /o/b 65534:65534 /o/c 4242:100 /o/d 1000:1000 /x 2000:3000 /copied 1234:1234 /home/bob/mine 1234 "
[ "$lst" = "$want" ] && ok || bad owners "owners seen by a rootless run: '$lst', want '$want'"

# --- 3. no subordinate IDs: one ID --------------------------------------
mkdir -p "$W/one" "$W/needs"
printf 'FROM busybox:rl\nRUN echo one > /one && ls -ln /one\n' > "$W/one/Dockerfile"
printf 'FROM busybox:rl\nRUN touch /x\nRUN chown 1000 /x\n' > "$W/needs/Dockerfile"
chmod -R a+rX "$W/one" "$W/needs"
MDOCK_ROOT="$W/root-store" "$MDOCK" save busybox:rl -o "$W/bb.tar"
MDOCK_ROOT="$W/root-store" "$MDOCK" save owners:rl -o "$W/owners.tar"
chmod a+r "$W/bb.tar" "$W/owners.tar"
as_user $N "$MDOCK" load -i "$W/bb.tar" > /dev/null 2>"$W/err" || bad single "load: $(tail -2 "$W/err")"
if as_user $N sh -c "cd $W/one && $MDOCK build -q -t one ." > /dev/null 2>"$W/err"; then
  grep -q "rootless with one ID" "$W/err" && ok ||
    bad single "no warning about one ID: $(cat "$W/err")"
else
  bad single "a Dockerfile that needs one ID failed: $(tail -3 "$W/err")"
fi
if as_user $N sh -c "cd $W/needs && $MDOCK build -q ." > /dev/null 2>"$W/err"; then
  bad single "chown 1000 built with one ID"
elif grep -q "Dockerfile:3:1" "$W/err" && grep -q "chown" "$W/err"; then ok
else bad single "the error is not at RUN chown (line 3): $(tail -5 "$W/err")"; fi
# a base whose files other IDs own: refused at FROM, never a wrong owner
as_user $N "$MDOCK" load -i "$W/owners.tar" > /dev/null 2>&1
printf 'FROM owners:rl\nRUN true\n' > "$W/n/Dockerfile"
if as_user $N sh -c "cd $W/n && $MDOCK build -q ." > /dev/null 2>"$W/err"; then
  bad single "a base with files of other IDs built with one ID"
elif grep -q "does not map" "$W/err" && grep -q "Dockerfile:1:1\|Dockerfile:2:1" "$W/err"; then ok
else bad single "no located error for a base of other owners: $(tail -5 "$W/err")"; fi

# --- 4. the network -----------------------------------------------------
mkdir -p "$W/www" "$W/net"
echo pong > "$W/www/ping"
PORT=$(free_port 18700)
busybox httpd -f -p "127.0.0.1:$PORT" -h "$W/www" & HP=$!
sleep 0.3
cat > "$W/net/Dockerfile" <<EOF
FROM busybox:rl
ARG N=0
RUN echo \$N; echo "ifs: \$(ip -o link | cut -d: -f2 | tr -d ' ' | sort | tr '\n' ' ')"; \
    echo "gw: \$(wget -q -O- http://host.containers.internal:$PORT/ping || echo none)"; \
    echo "lo: \$(wget -q -O- http://127.0.0.1:$PORT/ping || echo none)"
EOF
chmod -R a+rX "$W/net"
i=0
for who in root $U; do
  if [ $who = root ]; then run() { env MDOCK_ROOT="$W/root-store" "$@"; }
  else run() { as_user $U "$@"; }; fi
  for mode in default host none; do
    i=$((i + 1))
    out=$(run sh -c "cd $W/net && $MDOCK build --progress plain --build-arg N=$i --network $mode ." 2>&1)
    ifs=$(echo "$out" | sed -n 's/.* ifs: //p' | head -1)
    gw=$(echo "$out" | sed -n 's/.* gw: //p' | head -1)
    lo=$(echo "$out" | sed -n 's/.* lo: //p' | head -1)
    case $mode in
      default) want_ifs="lo tap0 "; want_gw=pong; want_lo=none ;;
      host) want_ifs=; want_gw=; want_lo=pong ;;
      none) want_ifs="lo "; want_gw=none; want_lo=none ;;
    esac
    if [ -n "$want_ifs" ] && [ "$ifs" != "$want_ifs" ]; then
      bad "net-$who-$mode" "interfaces '$ifs', want '$want_ifs'"
    elif [ -n "$want_gw" ] && [ "$gw" != "$want_gw" ]; then
      bad "net-$who-$mode" "host.containers.internal gave '$gw', want $want_gw"
    elif [ "$lo" != "$want_lo" ]; then
      bad "net-$who-$mode" "127.0.0.1 gave '$lo', want $want_lo: $(echo "$out" | tail -4)"
    else
      ok
    fi
  done
done

# --- 5. user namespaces refused: the error names the limit ---------------
printf 'FROM busybox:rl\nRUN true\n' > "$W/u/Dockerfile"
chown $U "$W/u/Dockerfile"
out=$(runuser -u $U -- unshare -U -r sh -c "echo 1 > /proc/sys/user/max_user_namespaces &&
  exec unshare -U --map-user=$(id -u $U) --map-group=$(id -g $U) env HOME=$W/u MDOCK_ROOT=$W/u/store2 sh -c '
    $MDOCK load -i $W/bb.tar >/dev/null 2>&1; cd $W/u && $MDOCK build -q --network none .'" 2>&1)
case "$out" in
  *"Dockerfile:2:1"*"max_user_namespaces"*) ok ;;
  *) bad refused "no located error naming the limit: $out" ;;
esac

# --- 6. --runtime runc, rootless -----------------------------------------
if command -v runc >/dev/null; then
  out=$(as_user $U sh -c "cd $W/one && $MDOCK build --no-cache --runtime runc --progress plain ." 2>&1)
  case "$out" in
    *"-rw-r--r--"*"0        0"*"/one"*) ok ;;
    *) bad runc "a rootless build with runc: $(echo "$out" | tail -5)" ;;
  esac
  # and on each kind of root, the same image as the embedded runtime's
  ids=$(for o in kernel fuse copy; do
          as_user $U env MDOCK_OVERLAY=$o sh -c "cd $W/one && $MDOCK build -q --no-cache --runtime runc ." 2>/dev/null
        done | sort -u)
  [ "$(echo "$ids" | wc -l)" = 1 ] && [ "$ids" = "$(as_user $U sh -c "cd $W/one && $MDOCK build -q" 2>/dev/null)" ] && ok ||
    bad runc "runc on kernel, fuse and copy roots: $ids"
fi

echo "rootless: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -ge 22 ]
