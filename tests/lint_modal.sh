#!/bin/sh
# lint_modal.sh - mdock lint on dockerfile_commands lists as Modal users
# write them (--from IMAGE --command LINE..., --commands-file with a JSON
# array or one command per line): findings located as --command[i]:line:col
# in every output format, and the modal dialect's context (the current
# directory, as Modal's from_dockerfile) against --context.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
W=/tmp/mdock-lint-modal-$$
rm -rf "$W"
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | head -10; fail=$((fail + 1)); }
L="$MDOCK lint --no-shellcheck --no-color"

out=$($L --from python:3.12 --command 'RUN pip install flask' \
        --command 'COPY ["app.py", "/app/"]' \
        --command 'ENTRYPOINT ["python", "-m", "http.server"]' 2>&1); r=$?
[ "$r" = 1 ] && ok || bad "exit $r, want 1" "$out"
case "$out" in *"--command[0]:1:17: warning: pip package flask"*) ok ;;
  *) bad "tty location of --command[0]" "$out" ;; esac
case "$out" in *"--command[1]:1:1: error: JSON-form COPY"*"[MDM018]"*) ok ;;
  *) bad "MDM018 at --command[1]" "$out" ;; esac
case "$out" in *"--command[2]:1:1: error: ENTRYPOINT runs python"*) ok ;;
  *) bad "MDM020 at --command[2]" "$out" ;; esac

# the same list from a file: a JSON array, then one command per line
printf '["RUN pip install flask", "USER root"]\n' > "$W/cmds.json"
printf 'RUN pip install flask\nUSER root\n' > "$W/cmds.txt"
for f in cmds.json cmds.txt; do
  j=$($L --from python:3.12 --commands-file "$W/$f" -f json)
  printf '%s' "$j" | jq -e --arg f "$W/$f" \
    'any(.[]; .file == ($f + "[0]") and .line == 1 and .code == "DL3013") and
     any(.[]; .file == ($f + "[1]") and .code == "DL3002")' >/dev/null &&
    ok || bad "--commands-file $f: json locations" "$j"
done
printf '%s' "$($L --from python:3.12 --commands-file "$W/cmds.json" -f sarif)" |
  jq -e '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] |
         any(endswith("cmds.json[1]"))' >/dev/null && ok || bad "sarif uri of an entry"
$L --from python:3.12 --commands-file "$W/cmds.json" -f checkstyle > "$W/cs.xml"
xmllint --noout "$W/cs.xml" && grep -q 'file name=".*cmds.json\[1\]"' "$W/cs.xml" &&
  ok || bad "checkstyle <file> per entry" "$(cat "$W/cs.xml")"
$L --from python:3.12 --commands-file "$W/cmds.json" -f gitlab |
  jq -e 'any(.[]; .location.path | endswith("cmds.json[0]"))' >/dev/null &&
  ok || bad "gitlab path of an entry"
$L --from python:3.12 --commands-file "$W/cmds.json" -f codeclimate |
  tr '\0' '\n' | jq -s -e 'length > 0' >/dev/null && ok || bad "codeclimate"
$L --from python --command 'RUN echo hi' 2>&1 | grep -q -- '--from:1:6: warning: FROM python has no tag' &&
  ok || bad "a finding of the base image names --from"
$L --command 'RUN echo hi' Dockerfile >/dev/null 2>&1; r=$?
[ "$r" = 2 ] && ok || bad "a list and a Dockerfile: exit $r, want 2"

# the context: Modal uploads from the current directory
mkdir -p "$W/proj/docker"
printf 'FROM alpine:3.19\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n' > "$W/proj/docker/Dockerfile"
printf '#!/bin/sh\necho starting\n' > "$W/proj/entry.sh"
chmod 755 "$W/proj/entry.sh"
(cd "$W/proj" && $L docker/Dockerfile) | grep -q MDM002 &&
  ok || bad "modal: the script in the current directory is read"
(cd "$W" && $L --context proj proj/docker/Dockerfile) | grep -q MDM002 &&
  ok || bad "modal: --context DIR"
(cd "$W/proj" && $L --dialect docker docker/Dockerfile) | grep -q MDM &&
  bad "docker dialect: no Modal findings" || ok

echo "lint (modal): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
