#!/bin/sh
# build_ssh.sh MDOCK AGENT_PROBE - build --ssh as docker build's: a RUN
# --mount=type=ssh step reaches the agent it was given and asks it for its
# keys (tests/agent_probe.c, static, in a busybox image): key files
# (--ssh default=KEY, an ssh-agent mdock starts and stops), the
# environment's agent (--ssh default), an agent socket by id (--ssh
# ID=SOCKET with id=ID); without --ssh a required mount fails with a hint
# and an optional one runs without an agent.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PROBE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
WORK=$(mktemp -d /tmp/mdock-ssh.XXXXXX)
AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
export MDOCK_ROOT="$WORK/store" NO_COLOR=1
unset SSH_AUTH_SOCK
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
for t in ssh-agent ssh-add ssh-keygen; do
  command -v $t >/dev/null || { echo "build --ssh: FAILED: $t is missing (tools/deps.sh installs openssh-client)"; exit 1; }
done
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t busybox:t . >/dev/null) || { echo "cannot build busybox"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -C mdock-test-key -f "$WORK/key" || { echo "ssh-keygen failed"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -C second-key -f "$WORK/key2"

C="$WORK/ctx"
mkdir -p "$C" && cp "$PROBE" "$C/probe"
# keys: the agent's answer, in a layer; RUN again with another key
build() {  # TAG DOCKERFILE-RUN-LINE ARGS...
  tag=$1; line=$2; shift 2
  printf 'FROM busybox:t\nCOPY probe /probe\n%s\n' "$line" > "$C/Dockerfile"
  (cd "$C" && "$MDOCK" build -q --no-cache -t "$tag" "$@" . > /dev/null 2> "$WORK/err")
}
seen() { "$MDOCK" run "$1" cat /ids 2>&1 | tr '\n' ' '; }

build k1 'RUN --mount=type=ssh /probe > /ids' --ssh "default=$WORK/key" ||
  bad "--ssh default=KEY: $(tail -3 "$WORK/err")"
[ "$(seen k1)" = "1 mdock-test-key " ] || bad "--ssh default=KEY: the agent held: $(seen k1)"
build k2 'RUN --mount=type=ssh /probe > /ids' --ssh "default=$WORK/key,$WORK/key2" ||
  bad "--ssh default=KEY,KEY: $(tail -3 "$WORK/err")"
[ "$(seen k2)" = "2 mdock-test-key second-key " ] || bad "--ssh KEY,KEY: the agent held: $(seen k2)"
pgrep -f "ssh-agent -D -a $MDOCK_ROOT" >/dev/null && bad "the build's ssh-agent was left running"
ls "$MDOCK_ROOT/tmp" | grep -q '^ssh' && bad "the build's agent socket directory was left"

# the environment's agent (--ssh default) and one by id
eval "$(ssh-agent -s)" > /dev/null
AGENT_PID=$SSH_AGENT_PID
ssh-add -q "$WORK/key2" 2>/dev/null
build e1 'RUN --mount=type=ssh /probe > /ids' --ssh default || bad "--ssh default: $(tail -3 "$WORK/err")"
[ "$(seen e1)" = "1 second-key " ] || bad "--ssh default: the agent held: $(seen e1)"
build e2 'RUN --mount=type=ssh,id=deploy,target=/agent.sock test "$SSH_AUTH_SOCK" = /agent.sock && /probe > /ids' \
  --ssh "deploy=$SSH_AUTH_SOCK" || bad "--ssh ID=SOCKET: $(tail -3 "$WORK/err")"
[ "$(seen e2)" = "1 second-key " ] || bad "--ssh ID=SOCKET with a target: $(seen e2)"

# not given: required fails with a hint, optional runs without an agent
build n1 'RUN --mount=type=ssh,required /probe > /ids' && bad "a required ssh mount ran without --ssh"
grep -q 'no SSH agent default' "$WORK/err" && grep -q 'hint: build with --ssh default' "$WORK/err" ||
  bad "required ssh mount error: $(cat "$WORK/err")"
build n2 'RUN --mount=type=ssh /probe > /ids || true' || bad "an optional ssh mount failed: $(tail -3 "$WORK/err")"
[ "$(seen n2)" = "no agent " ] || bad "an optional ssh mount without --ssh had an agent: $(seen n2)"
build n3 'RUN --mount=type=ssh,id=other,required /probe' --ssh default && bad "an ssh mount of another id got the default agent"

# bad specs are usage errors
(cd "$C" && "$MDOCK" build --ssh "x=$WORK/nope" . >/dev/null 2>&1); [ $? -eq 2 ] || bad "--ssh with a missing key file"
(unset SSH_AUTH_SOCK; cd "$C" && "$MDOCK" build --ssh default . >/dev/null 2>&1); [ $? -eq 2 ] || bad "--ssh default without SSH_AUTH_SOCK"

echo "build --ssh: $fail failed"
[ $fail -eq 0 ]
