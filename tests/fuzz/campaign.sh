#!/bin/sh
# campaign.sh SECONDS JOBS [TARGET...] - a long fuzzing run: every target
# (default: all built ones) for SECONDS, JOBS at a time, each keeping its
# corpus in build-fuzz/corpus-TARGET across runs.  Crashes are left as
# build-fuzz/crash-TARGET-*; build-fuzz/campaign.txt sums up each target's
# executions, coverage, corpus and crashes.  Exit 1 when any crashed.
set -eu
cd "$(dirname "$0")/../.."
SECS=$1
JOBS=$2
shift 2
[ $# -gt 0 ] || set -- $(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
B=build-fuzz
run_one() {
  t=$1
  # layer tars are blocks of 512 bytes: a seed must fit whole
  case $t in fuzz_layer) len=65536 ;; *) len=8192 ;; esac
  mkdir -p "$B/corpus-$t"
  "$B/$t" -max_total_time="$SECS" -max_len=$len -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$B/crash-$t-" \
    "$B/corpus-$t" "$B/seeds/$t" > "$B/campaign-$t.log" 2>&1 || true
}
summary() {
  t=$1
  l=$B/campaign-$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$l" | tail -1)
  last=$(grep -E '^#[0-9]+' "$l" | tail -1)
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
  # libFuzzer's artifacts: crash-, leak-, timeout-, oom- count as
  # failures; slow-unit- (slower than 10 s for one input) is listed apart
  crashes=$(ls "$B"/crash-"$t"-crash-* "$B"/crash-"$t"-leak-* \
               "$B"/crash-"$t"-timeout-* "$B"/crash-"$t"-oom-* 2>/dev/null | wc -l)
  slow=$(ls "$B"/crash-"$t"-slow-unit-* 2>/dev/null | wc -l)
  printf '%-14s %6ss %12s execs  cov %5s  ft %6s  corpus %5s  crashes %s  slow %s\n' \
    "$t" "$SECS" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" "$slow"
}
running=0
# CAMPAIGN_SUMMARY=1: only sum up the logs of an earlier run
[ "${CAMPAIGN_SUMMARY:-0}" = 1 ] || for t in "$@"; do
  run_one "$t" &
  running=$((running + 1))
  # (POSIX sh has no `wait -n`: JOBS at a time means batches of JOBS)
  if [ "$running" -ge "$JOBS" ]; then wait; running=0; fi
done
wait
: > "$B/campaign.txt"
bad=0
for t in "$@"; do
  summary "$t" > "$B/campaign.line"
  cat "$B/campaign.line" | tee -a "$B/campaign.txt"
  grep -q ' crashes 0 ' "$B/campaign.line" || bad=1
done
exit $bad
