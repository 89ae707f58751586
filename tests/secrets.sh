#!/bin/sh
# secrets.sh - what images give away: `mdock inspect --secrets` finds build
# arguments with secret names in the history and config, the values of
# --secret and --secret-build-arg wherever they landed (a later layer
# deleting the file does not hide it), private keys, tokens and credential
# files in layers; --secret-build-arg values never reach the history or
# the progress output, and an ENV of one is an error.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-secrets.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
busybox_context "$WORK/bb"
"$MDOCK" build -q -t sbase "$WORK/bb" >/dev/null 2>&1 || { echo "secrets: base build failed"; exit 1; }
C=$WORK/ctx
mkdir -p "$C"
VAL="tok-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
build() { tag=$1; shift; "$MDOCK" build --progress plain -t "$tag" "$@" "$C" >"$WORK/out" 2>"$WORK/err"; }
scan() { "$MDOCK" inspect --secrets "$@" >"$WORK/scan" 2>"$WORK/scan.err"; }

# 1. a plain --build-arg with a secret name: in the history, found
printf 'FROM sbase\nARG API_TOKEN\nRUN touch /f\n' > "$C/Dockerfile"
build plain --build-arg "API_TOKEN=$VAL" || bad "plain build: $(tail -2 "$WORK/err")"
if scan plain; then bad "a secret-named build argument in the history was not found"; fi
grep -q "history .*API_TOKEN" "$WORK/scan" || bad "the finding does not name the history and API_TOKEN: $(cat "$WORK/scan")"

# 2. --secret-build-arg: masked in history and progress, RUN still sees it
printf 'FROM sbase\nARG API_TOKEN\nRUN test "$API_TOKEN" = "%s" && touch /ok\n' "$VAL" > "$C/Dockerfile"
build masked --secret-build-arg "API_TOKEN=$VAL" || bad "masked build: $(tail -2 "$WORK/err")"
{ "$MDOCK" inspect masked; "$MDOCK" inspect --format history masked; } > "$WORK/inspect"
grep -q -F "$VAL" "$WORK/inspect" && bad "a --secret-build-arg value is in the image's history or config"
grep -q -F "$VAL" "$WORK/out" "$WORK/err" && bad "a --secret-build-arg value is in the progress output"
grep -q 'API_TOKEN=\*\*\*' "$WORK/inspect" || bad "the history does not show the masked value"
scan masked || bad "a clean masked build has findings: $(cat "$WORK/scan")"
# ...the Dockerfile itself holds the value here, so the value is searched:
# the RUN wrote nothing with it
scan --secret-build-arg "API_TOKEN=$VAL" masked || bad "masked: the value was found: $(cat "$WORK/scan")"

# 2b. --secret-env (Modal's secrets=): every RUN sees it without the
# Dockerfile naming it; no blob, history entry, config or progress line
# holds it; changing it rebuilds nothing
printf 'FROM sbase\nRUN test "$HF_TOKEN" = "%s" && echo "token is $HF_TOKEN" && touch /one\nRUN test -n "$HF_TOKEN" && touch /two\n' "$VAL" > "$C/Dockerfile"
MY_HF="$VAL" build senv --secret-env HF_TOKEN=MY_HF || bad "--secret-env build: $(tail -2 "$WORK/err")"
grep -q -F "$VAL" "$WORK/out" "$WORK/err" && bad "a --secret-env value is in the progress output"
grep -q 'token is \*\*\*' "$WORK/out" "$WORK/err" || bad "the progress does not show the masked value"
{ "$MDOCK" inspect senv; "$MDOCK" inspect --format history senv; } > "$WORK/inspect"
grep -q -F "$VAL" "$WORK/inspect" && bad "a --secret-env value is in the image's history or config"
"$MDOCK" save senv -o "$WORK/senv.tar" || bad "save senv"
mkdir -p "$WORK/senv" && tar -xf "$WORK/senv.tar" -C "$WORK/senv"
for b in "$WORK"/senv/blobs/sha256/*; do
  { zcat "$b" 2>/dev/null || cat "$b"; } | grep -q -a -F "$VAL" &&
    bad "a --secret-env value is in blob $(basename "$b")"
done
HF_TOKEN="other-$VAL" build senv2 --secret-env HF_TOKEN ||
  bad "--secret-env HF_TOKEN: $(tail -2 "$WORK/err")"
[ "$(grep -c CACHED "$WORK/out" "$WORK/err" | awk -F: '{s += $2} END {print s}')" -ge 2 ] ||
  bad "another --secret-env value rebuilt steps (it is no part of a key): $(cat "$WORK/out" "$WORK/err" | head -8)"
"$MDOCK" build --no-cache --progress plain -t senv3 "$C" >"$WORK/out" 2>"$WORK/err" &&
  bad "without --secret-env the RUN's test should fail (the value is not baked in)"
"$MDOCK" build -t senv4 --secret-env NOPE_NOT_SET "$C" >/dev/null 2>&1 &&
  bad "--secret-env of an unset variable should be a usage error"

# 3. an ENV of a secret build argument is an error at its line
printf 'FROM sbase\nARG API_TOKEN\nENV KEEP=x${API_TOKEN}\n' > "$C/Dockerfile"
if build envleak --secret-build-arg "API_TOKEN=$VAL"; then bad "ENV of a secret build argument built"; fi
grep -q "Dockerfile:3:1: error: .*secret build argument API_TOKEN" "$WORK/err" || bad "the ENV error: $(head -2 "$WORK/err")"

# 4. a RUN that writes the secret into the image: found in its layer, and
# still after a later layer deletes it
printf '%s\n' "$VAL" > "$WORK/npmtoken"
printf 'FROM sbase\nRUN --mount=type=secret,id=npm cp /run/secrets/npm /leak\nRUN rm /leak\nRUN --mount=type=secret,id=npm wc -c /run/secrets/npm > /size\n' > "$C/Dockerfile"
build leak --secret "id=npm,src=$WORK/npmtoken" || bad "leak build: $(tail -2 "$WORK/err")"
if scan --secret "id=npm,src=$WORK/npmtoken" leak; then bad "a secret copied into a layer was not found"; fi
grep -q "layer .* /leak: holds the value of secret npm.*a later layer deletes it" "$WORK/scan" || bad "the leak finding: $(cat "$WORK/scan")"
[ "$(grep -c . "$WORK/scan")" -eq 1 ] || bad "the mounted-only use was reported too: $(cat "$WORK/scan")"

# 5. keys, tokens and credential files in layers; JSON output
mkdir -p "$C/home/.ssh"
GH="ghp_$(printf 'a%.0s' $(seq 36))"
AK="AKIA$(printf 'Q%.0s' $(seq 16))"
{ printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'; } > "$C/home/.ssh/id_ed25519"
printf 'export GITHUB_TOKEN=%s\naws=%s\n' "$GH" "$AK" > "$C/home/env.sh"
printf 'https://u:p@example.com\n' > "$C/home/.git-credentials"
printf '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n' > "$C/home/.npmrc"
printf 'docs=AKIAIOSFODNN7EXAMPLE\n' > "$C/home/docs.txt"
printf 'FROM sbase\nCOPY home /home/u\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D DB_PASSWORD=hunter22\nLABEL auth_token=abc version=1\n' > "$C/Dockerfile"
build keys || bad "keys build: $(tail -2 "$WORK/err")"
scan --format json keys
jq -e . "$WORK/scan" >/dev/null || bad "--format json is not JSON: $(head -3 "$WORK/scan")"
for k in private-key github-token aws-access-key credential-file secret-name; do
  jq -e --arg k "$k" 'map(select(.kind == $k)) | length > 0' "$WORK/scan" >/dev/null || bad "no $k finding: $(cat "$WORK/scan")"
done
jq -e 'map(select(.path == "/home/u/.ssh/id_ed25519")) | length == 2' "$WORK/scan" >/dev/null || bad "the ssh key is not reported by name and content"
jq -e 'map(select(.message | test("DB_PASSWORD"))) | map(.where) | sort == ["config Env", "history 3"]' "$WORK/scan" >/dev/null || bad "ENV DB_PASSWORD not reported in the config and its history entry"
jq -e 'map(select(.message | test("GPG_KEY"))) | length == 0' "$WORK/scan" >/dev/null || bad "GPG_KEY (a public fingerprint) reported"
jq -e 'map(select(.where == "config label auth_token")) | length == 1' "$WORK/scan" >/dev/null || bad "label auth_token not reported"
jq -e 'map(select(.path == "/home/u/.npmrc" or .path == "/home/u/docs.txt")) | length == 0' "$WORK/scan" >/dev/null || bad "a token placeholder or AWS's documentation key was reported"
cp "$WORK/scan" "$WORK/keys.json"; rm -rf "$C/home"

# 6. the scanner's exit status gates CI: 0 clean, 1 found, 2 usage
scan sbase || bad "the clean base image has findings: $(cat "$WORK/scan")"
"$MDOCK" inspect --secrets --format yaml sbase >/dev/null 2>&1; [ $? -eq 2 ] || bad "a bad --format is not a usage error"
if [ $fail -eq 0 ]; then echo "secrets: 0 failed"; else echo "secrets: $fail failed"; exit 1; fi
