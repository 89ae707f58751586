#!/bin/sh
# limits.sh - inputs built to exhaust a builder are refused or handled in
# bounded memory: a 100,000-instruction Dockerfile is parsed and linted in
# under 200 MB (with a generous time guard that only catches a hang; the
# speed itself is bench/ material), and a billion-laughs chain of ARGs is
# refused, naming the limit and the variable that raises it, which works.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v /usr/bin/time >/dev/null || { echo "limits: /usr/bin/time is missing (make deps)"; exit 1; }
WORK=$(mktemp -d /tmp/mdock-limits.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# 100,000 instructions: RUN, ENV, COPY, LABEL and ARG in turn
awk 'BEGIN {
  print "FROM alpine:3.19"
  for(i = 0; i < 100000; i++) {
    k = i % 5
    if(k == 0) printf "RUN echo step%d && apt-get install -y pkg%d\n", i, i
    else if(k == 1) printf "ENV VAR%d=value%d\n", i, i
    else if(k == 2) printf "COPY file%d /dst/file%d\n", i, i
    else if(k == 3) printf "LABEL l%d=\"v%d\"\n", i, i
    else printf "ARG A%d=${VAR%d}\n", i, i - 3
  }
}' > "$WORK/big.Dockerfile"
# the smaller peak of two runs (a measure of the program, not of a busy
# moment of the machine); under ASan (MDK_SANITIZED=1), whose shadow memory
# and quarantine triple a program's footprint, three times the limit
LIMIT_KB=204800
[ "${MDK_SANITIZED:-0}" = 1 ] && LIMIT_KB=$((LIMIT_KB * 3))
# (lint without ShellCheck: its bounds are mdock's own; ShellCheck takes
# about 10 ms a script, 20,000 RUNs here)
for cmd in parse "lint --no-shellcheck"; do
  best=
  for run in 1 2; do
    # shellcheck disable=SC2086
    timeout 60 /usr/bin/time -f "%M" -o "$WORK/rss" "$MDOCK" $cmd "$WORK/big.Dockerfile" \
      > /dev/null 2> "$WORK/err"
    rc=$?
    [ $rc -eq 124 ] && bad "$cmd of 100,000 instructions did not finish in 60 s"
    [ $rc -ge 2 ] && [ $rc -ne 124 ] && bad "$cmd of 100,000 instructions failed ($rc): $(tail -2 "$WORK/err")"
    kb=$(tail -1 "$WORK/rss")
    { [ -z "$best" ] || [ "$kb" -lt "$best" ]; } && best=$kb
  done
  echo "limits: $cmd of 100,000 instructions peaked at $best KB"
  [ "$best" -lt "$LIMIT_KB" ] || bad "$cmd of 100,000 instructions peaked at $best KB (limit $LIMIT_KB KB)"
done

# ARG a1=${a0} x 8, a2=${a1} x 8, ...: a0 of 64 bytes would reach 134 MB
{
  printf 'FROM scratch\nARG a0=%s\n' "$(head -c 64 /dev/zero | tr '\0' x)"
  i=1
  while [ $i -le 7 ]; do
    printf 'ARG a%d=' $i
    j=0; while [ $j -lt 8 ]; do printf '${a%d}' $((i - 1)); j=$((j + 1)); done
    printf '\n'
    i=$((i + 1))
  done
  printf 'ENV BOOM=${a7}\n'
} > "$WORK/bomb.Dockerfile"
timeout 20 /usr/bin/time -f "%M" -o "$WORK/rss" "$MDOCK" parse "$WORK/bomb.Dockerfile" > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 1 ] || bad "the expansion bomb: exit $rc, want 1"
grep -q "grows past 4194304 bytes (MDOCK_MAX_EXPANSION" "$WORK/err" || bad "the expansion bomb: $(head -1 "$WORK/err")"
grep -q "bomb.Dockerfile:8:5:" "$WORK/err" || bad "the expansion bomb is not located at a6"
[ "$(tail -1 "$WORK/rss")" -lt $((LIMIT_KB / 2)) ] || bad "the expansion bomb peaked at $(tail -1 "$WORK/rss") KB"
# a limit that the file fits in
head -5 "$WORK/bomb.Dockerfile" > "$WORK/small.Dockerfile"   # up to a3: 32 kB
MDOCK_MAX_EXPANSION=40000 "$MDOCK" parse "$WORK/small.Dockerfile" > /dev/null 2> "$WORK/err" ||
  bad "a3 (32 kB) under a 40 kB limit: $(head -1 "$WORK/err")"
MDOCK_MAX_EXPANSION=20000 "$MDOCK" parse "$WORK/small.Dockerfile" > /dev/null 2>&1 &&
  bad "a3 (32 kB) passed a 20 kB limit"
# one instruction's bytes (MDOCK_MAX_INSTRUCTION): on one line and with
# continuations, each refused at its line, and a limit it fits in passes
awk 'BEGIN { s = ""; for(i = 0; i < 2000; i++) s = s "x"
  print "FROM scratch"; print "RUN echo " s > "/dev/stderr"
  print "RUN echo \\"; print " " s }' > "$WORK/cont.Dockerfile" \
  2> "$WORK/oneline.tail"
{ echo "FROM scratch"; cat "$WORK/oneline.tail"; } > "$WORK/oneline.Dockerfile"
for f in oneline:2 cont:3; do
  MDOCK_MAX_INSTRUCTION=1500 "$MDOCK" parse "$WORK/${f%:*}.Dockerfile" \
    > /dev/null 2> "$WORK/err" && bad "${f%:*}: 2 kB passed a 1.5 kB instruction limit"
  grep -q "${f%:*}.Dockerfile:${f#*:}:1: error: instruction longer than 1500 bytes (MDOCK_MAX_INSTRUCTION)" \
    "$WORK/err" || bad "${f%:*}: $(head -1 "$WORK/err")"
  MDOCK_MAX_INSTRUCTION=4000 "$MDOCK" parse "$WORK/${f%:*}.Dockerfile" \
    > /dev/null 2> "$WORK/err" || bad "${f%:*} under a 4 kB limit: $(head -1 "$WORK/err")"
done
echo "limits: $fail failed"
[ $fail -eq 0 ]
