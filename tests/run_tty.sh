#!/bin/sh
# run_tty.sh - mdock run -t / -it in a real terminal (tmux, 100x30), as
# docker run -it: the command's stdin and stdout are a terminal of the
# window's size, an interactive shell reads what is typed and its output
# shows, ^C reaches the command (not mdock), `exit N` is mdock's status N;
# without -t the command has no terminal.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-runtty.XXXXXX)
SOCK="$WORK/tmux.0"
N=0
trap 'for s in "$WORK"/tmux.*; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
command -v tmux >/dev/null || { echo "run tty: FAILED: tmux is not installed (tools/deps.sh installs it)"; exit 1; }
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t bb . >/dev/null) || { echo "cannot build busybox"; exit 1; }

term() {
  rm -f "$WORK/rc"
  tmux -S "$SOCK" kill-server 2>/dev/null
  N=$((N + 1))
  SOCK="$WORK/tmux.$N"
  tmux -S "$SOCK" new-session -d -x 100 -y 30 \
    "TERM=xterm MDOCK_ROOT='$MDOCK_ROOT' $1; echo \$? > '$WORK/rc'; sleep 30"
}
screen() { tmux -S "$SOCK" capture-pane -p; }
keys() { tmux -S "$SOCK" send-keys "$@"; }
wait_for() {  # TEXT: until the screen shows it (5 s)
  i=0
  while ! screen | grep -q -- "$1" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  screen | grep -q -- "$1"
}
wait_rc() {
  i=0
  while [ ! -f "$WORK/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

# -it sh: a prompt, typed commands run, the terminal's size, ^C, exit 3
term "'$MDOCK' run -it bb sh"
wait_for '^/ #' || bad "no shell prompt: $(screen)"
keys 'echo $((6*7)); [ -t 0 ] && [ -t 1 ] && echo IS-A-TTY; stty size' Enter
wait_for '^42' || bad "a typed command did not run: $(screen)"
screen | grep -q '^IS-A-TTY' || bad "stdin/stdout are not a terminal: $(screen)"
screen | grep -q '^30 100' || bad "the terminal size is not the window's: $(screen)"
keys 'sleep 20; echo after-sleep' Enter
sleep 0.5
keys C-c
sleep 0.5
keys 'echo still-here' Enter
wait_for '^still-here' || bad "^C ended more than the sleep: $(screen)"
screen | grep -q '^after-sleep' && bad "^C did not interrupt the sleep"
keys 'exit 3' Enter
wait_rc
[ "$(cat "$WORK/rc" 2>/dev/null)" = 3 ] || bad "exit 3 in the shell: mdock exited $(cat "$WORK/rc" 2>/dev/null)"

# -t alone: a terminal, no input; without -t: none
out=$("$MDOCK" run -t bb sh -c '[ -t 1 ] && echo T1; [ -t 0 ] && echo T0' 2>&1 | tr -d '\r')
[ "$out" = "T1
T0" ] || bad "run -t: $out"
out=$("$MDOCK" run bb sh -c '[ -t 1 ] || echo no-tty' 2>&1)
[ "$out" = no-tty ] || bad "run without -t: $out"
"$MDOCK" run -t bb sh -c 'exit 5'; [ $? -eq 5 ] || bad "run -t: the exit status"

echo "run tty: $fail failed"
[ $fail -eq 0 ]
