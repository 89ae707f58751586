#!/bin/sh
# progress.sh - what a build shows and what it returns, as BuildKit:
#  - plain and json stream a RUN's output as it comes (a line's arrival is
#    timed against the step's end);
#  - step numbers are the same in two runs of a build with parallel stages;
#  - no build-arg value in any progress mode; a --secret-build-arg value in
#    no progress line, history entry or layer; history records build args
#    as BuildKit does (RUN |1 TOKEN=... /bin/sh -c ...);
#  - the image ID: build -q == --iidfile == images -q == the config digest;
#    two builds seconds apart (no SOURCE_DATE_EPOCH) are the same image; a
#    re-run of a 3-step chain of --command builds runs no step.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-progress.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store" NO_COLOR=1
unset SOURCE_DATE_EPOCH
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t busybox:t . >/dev/null) || { echo "cannot build busybox"; exit 1; }

# each line of stdin with the time it arrived (seconds, 3 decimals)
stamp() { while IFS= read -r l; do printf '%s %s\n' "$(date +%s.%3N)" "$l"; done; }

mkdir -p "$WORK/slow"
cat > "$WORK/slow/Dockerfile" <<'EOF'
FROM busybox:t
RUN for i in 1 2 3; do echo "tick $i"; sleep 1; done
EOF
(cd "$WORK/slow" && "$MDOCK" build --no-cache --progress plain . 2>&1 >/dev/null) | stamp > "$WORK/plain"
t1=$(grep ' tick 1$' "$WORK/plain" | head -1 | cut -d' ' -f1)
n=$(grep ' tick 1$' "$WORK/plain" | head -1 | sed 's/^[^ ]* #\([0-9]*\) .*/\1/')
tdone=$(grep " #$n DONE" "$WORK/plain" | cut -d' ' -f1)
if [ -z "$t1" ] || [ -z "$tdone" ]; then
  bad "plain: no output line or DONE: $(cat "$WORK/plain")"
elif [ "$(echo "$tdone - $t1 > 1.5" | bc)" != 1 ]; then
  bad "plain: the first line came $t1, the step ended $tdone: not streamed"
fi
grep -q "#$n \[2/2\] RUN for i in 1 2 3; do echo \"tick \$i\"; sleep 1; done" "$WORK/plain" ||
  bad "plain: the RUN is not named as written: $(grep "#$n " "$WORK/plain" | head -1)"
(cd "$WORK/slow" && "$MDOCK" build --no-cache --progress json . 2>&1 >/dev/null) | stamp > "$WORK/json"
t1=$(grep '"event": "log"' "$WORK/json" | grep 'tick 1' | cut -d' ' -f1)
tdone=$(grep '"event": "done"' "$WORK/json" | grep '"key"' | cut -d' ' -f1)
if [ -z "$t1" ] || [ -z "$tdone" ]; then
  bad "json: no log or done event"
elif [ "$(echo "$tdone - $t1 > 1.5" | bc)" != 1 ]; then
  bad "json: the log event came $t1, done $tdone: not streamed"
fi
for e in started log done; do
  grep -q "\"event\": \"$e\"" "$WORK/json" || bad "json: no $e event"
done

# step numbers: the same in two runs with parallel stages
mkdir -p "$WORK/par"
cat > "$WORK/par/Dockerfile" <<'EOF'
FROM busybox:t AS a
RUN sleep 0.3; echo a > /a
FROM busybox:t AS b
RUN echo b > /b
FROM busybox:t
COPY --from=a /a /a
COPY --from=b /b /b
EOF
steps() { (cd "$WORK/par" && "$MDOCK" build --no-cache --progress json . 2>&1 >/dev/null) |
          grep '^{' | jq -r 'select(.event == "started") | "\(.step) \(.name)"' | sort -n; }
s1=$(steps); s2=$(steps)
[ -n "$s1" ] && [ "$s1" = "$s2" ] || bad "step numbers differ between runs: $s1 / $s2"
printf '%s\n' "$s1" | grep -q '\[a 2/2\] RUN sleep 0.3' || bad "stage names in steps: $s1"

# build args and secrets
mkdir -p "$WORK/sec"
cat > "$WORK/sec/Dockerfile" <<'EOF'
FROM busybox:t
ARG TOKEN
ARG SECRETARG
RUN echo "using $TOKEN and $SECRETARG" > /dev/null; env | grep -c TOKEN
EOF
for mode in plain json; do
  (cd "$WORK/sec" && "$MDOCK" build --no-cache --progress $mode --compression uncompressed \
     --build-arg TOKEN=tok-value-123 --secret-build-arg SECRETARG=very-secret-456 -t sec . \
     >/dev/null 2>"$WORK/sec.$mode") || bad "secrets build ($mode): $(tail -3 "$WORK/sec.$mode")"
  grep -q 'tok-value-123' "$WORK/sec.$mode" && bad "$mode progress shows a build-arg value"
  grep -q 'very-secret-456' "$WORK/sec.$mode" && bad "$mode progress shows a --secret-build-arg value"
  grep -qi 'PATH=' "$WORK/sec.$mode" && bad "$mode progress dumps an environment"
done
if command -v script >/dev/null; then
  (cd "$WORK/sec" && script -qec "$MDOCK build --no-cache --progress tty --build-arg TOKEN=tok-value-123 --secret-build-arg SECRETARG=very-secret-456 ." /dev/null) > "$WORK/sec.tty" 2>&1
  grep -q 'tok-value-123\|very-secret-456' "$WORK/sec.tty" && bad "the tty view shows an argument's value"
fi
hist=$("$MDOCK" inspect --format history sec | jq -r '.[].created_by')
printf '%s\n' "$hist" | grep -qF 'RUN |2 TOKEN=tok-value-123 SECRETARG=*** /bin/sh -c echo' ||
  bad "history does not record build args as BuildKit does: $hist"
printf '%s\n' "$hist" | grep -q 'very-secret-456' && bad "history holds a --secret-build-arg value"
grep -rq 'very-secret-456' "$MDOCK_ROOT/blobs" && bad "a blob holds a --secret-build-arg value"

# identity
mkdir -p "$WORK/id"
printf 'FROM busybox:t\nRUN echo one > /one\nENV A=1\n' > "$WORK/id/Dockerfile"
q=$(cd "$WORK/id" && "$MDOCK" build -q --iidfile "$WORK/iid" -t idt .)
cfg=$("$MDOCK" inspect idt | jq -r '.[0].Id')
top=$("$MDOCK" images -q --no-trunc | head -1)
[ "$q" = "$(cat "$WORK/iid")" ] || bad "build -q ($q) differs from --iidfile ($(cat "$WORK/iid"))"
[ "$q" = "$cfg" ] || bad "build -q ($q) is not the config digest ($cfg)"
"$MDOCK" images -q --no-trunc | grep -qx "$q" || bad "images -q does not list $q ($top)"
m1=$("$MDOCK" inspect idt | jq -r '.[0].Descriptor.digest')
sleep 1.2
(cd "$WORK/id" && "$MDOCK" build -q -t idt . >/dev/null)
m2=$("$MDOCK" inspect idt | jq -r '.[0].Descriptor.digest')
[ "$m1" = "$m2" ] || bad "an unchanged build seconds later is another image ($m1, $m2)"
echo 'print(1)' > "$WORK/app.py"
chain() {
  "$MDOCK" build --progress json --from busybox:t --command 'COPY /app.py /srv/app.py' \
    --context-file "app.py=$WORK/app.py" -t c1 2>&1 >/dev/null
  "$MDOCK" build --progress json --from c1 --command 'RUN echo two > /two' -t c2 2>&1 >/dev/null
  "$MDOCK" build --progress json --from c2 --command 'ENV X=1' --command 'RUN echo three > /three' -t c3 2>&1 >/dev/null
}
chain > /dev/null
sleep 1.2
ran=$(chain | grep '^{' | jq -r 'select(.key != null and .status != null and .status != "cached") | .name')
[ -z "$ran" ] || bad "a re-run of an unchanged chain of --command builds ran: $ran"

echo "progress: $fail failed"
[ $fail -eq 0 ]
