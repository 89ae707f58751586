#!/bin/sh
# progress_tty.sh - the live view in a real terminal (tmux, 120x40): while
# a 3 s RUN runs, the screen shows its label as written ([NAME k/N] RUN
# ...), a timer and its first output line; afterwards CACHED markers, the
# finished steps one line each and the summary; a failing step shows
# ERROR.  Ctrl-C during a RUN: exit 130, no process of the step left (its
# pid is checked), fsck clean.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-tty.XXXXXX)
SOCK="$WORK/tmux.0"
N=0
trap 'for s in "$WORK"/tmux.*; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
unset NO_COLOR
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
if ! command -v tmux >/dev/null; then
  echo "progress tty: FAILED: tmux is not installed (tools/deps.sh installs it)"
  exit 1
fi
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t busybox:t . >/dev/null) || { echo "cannot build busybox"; exit 1; }

mkdir -p "$WORK/ctx"
cat > "$WORK/ctx/Dockerfile" <<'EOF'
FROM busybox:t AS one
RUN echo cached-step > /c
RUN for i in 1 2 3; do echo "tick $i"; sleep 1; done
FROM busybox:t AS two
RUN echo two > /two
FROM busybox:t
COPY --from=one /c /c
COPY --from=two /two /two
EOF
# the cached step: built once before
printf 'FROM busybox:t AS one\nRUN echo cached-step > /c\n' > "$WORK/ctx/Dockerfile.pre"
(cd "$WORK/ctx" && "$MDOCK" build -q -f Dockerfile.pre . >/dev/null) || bad "pre-build"

# run CMD in a 120x40 terminal; its exit status goes to $WORK/rc
term() {
  rm -f "$WORK/rc"
  tmux -S "$SOCK" kill-server 2>/dev/null
  N=$((N + 1))
  SOCK="$WORK/tmux.$N"         # a server of its own: no race with the last
  tmux -S "$SOCK" new-session -d -x 120 -y 40 \
    "cd '$WORK/ctx'; TERM=xterm MDOCK_ROOT='$MDOCK_ROOT' $1; echo \$? > '$WORK/rc'; sleep 30"
}
screen() { tmux -S "$SOCK" capture-pane -p; }
wait_rc() {
  i=0
  while [ ! -f "$WORK/rc" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
}

term "'$MDOCK' build -t ttyapp ."
sleep 1.6
during=$(screen)
printf '%s\n' "$during" | grep -q '\[one 3/3\] RUN for i in 1 2 3; do echo "tick $i"; sleep 1; done' ||
  bad "while the RUN runs, its label as written is not on screen: $during"
printf '%s\n' "$during" | grep 'RUN for i in' | grep -qE '[0-9]+\.[0-9]s' ||
  bad "no timer beside the running step: $during"
printf '%s\n' "$during" | grep -q '=> => # tick 1' ||
  bad "the RUN's first output line is not visible while it runs: $during"
wait_rc
[ "$(cat "$WORK/rc" 2>/dev/null)" = 0 ] || bad "the build failed: $(screen)"
after=$(screen)
printf '%s\n' "$after" | grep -q 'CACHED \[one 2/3\] RUN echo cached-step' ||
  bad "no CACHED marker for the cached step: $after"
printf '%s\n' "$after" | grep -q 'FINISHED' || bad "no finished header: $after"
printf '%s\n' "$after" | grep -q '^built: ' || bad "no summary: $after"
printf '%s\n' "$after" | grep -q '=> => # tick' && bad "a finished step still shows its output: $after"

# a failing step
printf 'FROM busybox:t\nRUN echo about to fail; exit 3\n' > "$WORK/ctx/Dockerfile.fail"
term "'$MDOCK' build -f Dockerfile.fail ."
wait_rc
[ "$(cat "$WORK/rc" 2>/dev/null)" = 1 ] || bad "a failing build exits $(cat "$WORK/rc" 2>/dev/null), not 1"
screen | grep -q 'ERROR \[2/2\] RUN echo about to fail' || bad "no ERROR line: $(screen)"

# Ctrl-C during a RUN
MARK="mdock-tty-$$"
printf 'FROM busybox:t\nRUN echo started; sleep 600; echo %s\n' "$MARK" > "$WORK/ctx/Dockerfile.cancel"
term "'$MDOCK' build --no-cache -f Dockerfile.cancel ."
i=0
while ! pgrep -f "sleep 600; echo $MARK" >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
pids=$(pgrep -f "sleep 600; echo $MARK")
[ -n "$pids" ] || bad "the step to cancel did not start: $(screen)"
tmux -S "$SOCK" send-keys C-c
wait_rc
[ "$(cat "$WORK/rc" 2>/dev/null)" = 130 ] || bad "Ctrl-C exits $(cat "$WORK/rc" 2>/dev/null), not 130"
sleep 0.3
for p in $pids; do
  st=$(ps -o stat= -p "$p" 2>/dev/null)
  case "$st" in ""|Z*) ;; *) bad "process $p of the canceled step is still running ($(ps -o pid,stat,args -p "$p" | tail -1))" ;; esac
done
pgrep -f "sleep 600" >/dev/null && bad "a sleep of the canceled step is left"
screen | grep -q 'CANCELED\|canceled' || bad "the view does not say what was canceled: $(screen)"
"$MDOCK" fsck >/dev/null || bad "fsck after Ctrl-C: $("$MDOCK" fsck | tail -2)"

echo "progress tty: $fail failed"
[ $fail -eq 0 ]
