#!/bin/sh
# run_cmd.sh - mdock run: ENTRYPOINT/CMD/ENV/USER/WORKDIR from the image,
# the exit status passed through, stdin and stdout wired; and
# --check-entrypoint telling an entrypoint that exec's "$@" from one that
# drops Modal's command.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-run.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
BB="$WORK/busybox"
busybox_context "$BB"
printf 'app:x:1000:1000::/home/app:/bin/sh\n' >> "$BB/etc/passwd"
(cd "$BB" && "$MDOCK" build -q -t busybox:t . >/dev/null) || { echo "cannot build busybox"; exit 1; }
mkdir -p "$WORK/good" "$WORK/bad"
cat > "$WORK/good/Dockerfile" <<'EOF'
FROM busybox:t
COPY --chmod=0755 <<'SH' /entry.sh
#!/bin/sh
echo "entry sees $GREETING as $(id -u) in $(pwd)"
exec "$@"
SH
ENV GREETING=hello
WORKDIR /srv
USER app
ENTRYPOINT ["/entry.sh"]
CMD ["echo", "default cmd"]
EOF
cat > "$WORK/bad/Dockerfile" <<'EOF'
FROM busybox:t
COPY --chmod=0755 <<'SH' /entry.sh
#!/bin/sh
echo "starting the server, ignoring $*"
SH
ENTRYPOINT ["/entry.sh"]
EOF
(cd "$WORK/good" && "$MDOCK" build -q -t good . >/dev/null) || bad "good build"
(cd "$WORK/bad" && "$MDOCK" build -q -t bad . >/dev/null) || bad "bad build"
out=$("$MDOCK" run good)
[ "$out" = "$(printf 'entry sees hello as 1000 in /srv\ndefault cmd')" ] || bad "run good: '$out'"
out=$("$MDOCK" run --rm good echo given)
[ "$(echo "$out" | tail -1)" = "given" ] || bad "run with a command: '$out'"
"$MDOCK" run busybox:t sh -c 'exit 42'
[ $? -eq 42 ] || bad "the exit status is not passed through"
out=$(echo piped | "$MDOCK" run -i busybox:t cat)
[ "$out" = piped ] || bad "stdin with -i: '$out'"
out=$(echo piped | "$MDOCK" run busybox:t cat)
[ -z "$out" ] || bad "stdin without -i is docker's: empty, not '$out'"
"$MDOCK" run --check-entrypoint good | grep -q '^ok:' || bad "check-entrypoint good"
if "$MDOCK" run --check-entrypoint bad > "$WORK/o"; then
  bad "check-entrypoint passed a script that drops its arguments"
fi
grep -q 'exec "\$@"' "$WORK/o" || bad "check-entrypoint says how to fix it: $(cat "$WORK/o")"
"$MDOCK" run nosuch:image true 2>/dev/null
[ $? -eq 125 ] || bad "an unknown image is docker's 125"
"$MDOCK" run busybox:t /no/such/command 2>/dev/null
[ $? -eq 127 ] || bad "a command that is not there is docker's 127"
"$MDOCK" run busybox:t /etc/passwd 2>/dev/null
[ $? -eq 126 ] || bad "a command that cannot run is docker's 126"
"$MDOCK" run busybox:t sh -c 'exit 1'
[ $? -eq 1 ] || bad "exit 1 is passed through"
out=$("$MDOCK" run -e GREETING=hi -e EMPTY= -w /made/here -u nobody busybox:t sh -c 'echo "$GREETING:$EMPTY:$(pwd):$(id -un)"')
[ "$out" = "hi::/made/here:nobody" ] || bad "-e -w -u: '$out'"
printf 'A=from-file\n# a comment\n\nB=2\n' > "$WORK/envs"
out=$("$MDOCK" run --env-file "$WORK/envs" busybox:t sh -c 'echo "$A $B"')
[ "$out" = "from-file 2" ] || bad "--env-file: '$out'"
echo volume-content > "$WORK/vol.txt"
out=$("$MDOCK" run -v "$WORK/vol.txt:/mnt/v.txt:ro" busybox:t sh -c 'cat /mnt/v.txt; echo x > /mnt/v.txt 2>/dev/null || echo ro')
[ "$out" = "volume-content
ro" ] || bad "-v ...:ro: '$out'"
out=$("$MDOCK" run --entrypoint echo good from-entrypoint)
[ "$out" = from-entrypoint ] || bad "--entrypoint: '$out'"
out=$("$MDOCK" run --network none busybox:t sh -c 'ip link | grep -c mtu')
[ "$out" = 1 ] || bad "--network none: $out interfaces"
out=$("$MDOCK" run --hostname boxname busybox:t hostname)
[ "$out" = boxname ] || bad "--hostname: '$out'"
echo "mdock run: $fail failed"
[ $fail -eq 0 ]
