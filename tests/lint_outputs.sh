#!/bin/sh
# lint_outputs.sh - every lint output format over the whole testdata/lint
# set: SARIF validates (tests/sarif-min-schema.json: rule metadata, results
# with locations), checkstyle parses with a real XML parser (xmllint), JSON
# and gitlab parse; and the exit codes: 0 clean, 1 at or above the
# threshold, 2 usage or I/O error.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CHECK=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT/testdata/lint" || exit 1
fail=0
files=$(ls -d */ | sed 's|/$|/Dockerfile|')
check() {   # name, expected exit, command...
  name=$1
  want=$2
  shift 2
  "$@" > /tmp/mdock-lint-out.$$ 2>&1
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: exit $got, want $want"
    head -5 /tmp/mdock-lint-out.$$
    fail=$((fail + 1))
  fi
}
# shellcheck disable=SC2086
"$MDOCK" lint --format sarif $files > /tmp/mdock-sarif.$$
"$CHECK" "$ROOT/tests/sarif-min-schema.json" < /tmp/mdock-sarif.$$ ||
  { echo "FAIL sarif: does not validate"; fail=$((fail + 1)); }
# Modal's context is the current directory: a script beside a Dockerfile
# is read when lint runs there (or is given --context)
(cd modal-shellrunsscript-fires && "$MDOCK" lint --format sarif Dockerfile) |
  grep -q '"ruleId": "MDM002"' ||
  { echo "FAIL sarif: no MDM002 result"; fail=$((fail + 1)); }
# shellcheck disable=SC2086
"$MDOCK" lint --format checkstyle $files > /tmp/mdock-cs.$$
xmllint --noout /tmp/mdock-cs.$$ ||
  { echo "FAIL checkstyle: not well-formed XML"; fail=$((fail + 1)); }
# at least one <error> per case that fires
nfires=$(ls -d *-fires | wc -l)
[ "$(xmllint --xpath 'count(//error)' /tmp/mdock-cs.$$)" -ge "$nfires" ] ||
  { echo "FAIL checkstyle: fewer errors than firing cases"; fail=$((fail + 1)); }
for fmt in json gitlab; do
  # shellcheck disable=SC2086
  "$MDOCK" lint --format $fmt $files > /tmp/mdock-$fmt.$$
  printf '{"type": "array"}' > /tmp/mdock-arr.$$
  "$CHECK" /tmp/mdock-arr.$$ < /tmp/mdock-$fmt.$$ ||
    { echo "FAIL $fmt: not a JSON array"; fail=$((fail + 1)); }
done
grep -q '"fingerprint"' /tmp/mdock-gitlab.$$ ||
  { echo "FAIL gitlab: no fingerprints"; fail=$((fail + 1)); }
# hadolint's other formats, each finding once (counted against json):
# gnu lines, codacy JSON lines, sonarqube's issues, junit testcases
# shellcheck disable=SC2086
nall=$("$MDOCK" lint --no-shellcheck --format json $files | jq length)
# shellcheck disable=SC2086
"$MDOCK" lint --no-shellcheck --format gnu $files > /tmp/mdock-gnu.$$
[ "$(grep -cE '^mdock:[^:]+:[0-9]+:[0-9]+: [A-Za-z0-9]+ (error|warning|info|style): .' /tmp/mdock-gnu.$$)" = "$nall" ] &&
  [ "$(wc -l < /tmp/mdock-gnu.$$)" = "$nall" ] ||
  { echo "FAIL gnu: $(wc -l < /tmp/mdock-gnu.$$) lines for $nall findings"; fail=$((fail + 1)); }
# shellcheck disable=SC2086
"$MDOCK" lint --no-shellcheck --format codacy $files > /tmp/mdock-codacy.$$
[ "$(jq -c 'select(.filename and .line and .message and .patternId)' /tmp/mdock-codacy.$$ | wc -l)" = "$nall" ] ||
  { echo "FAIL codacy: not a JSON issue a finding"; fail=$((fail + 1)); }
# shellcheck disable=SC2086
"$MDOCK" lint --no-shellcheck --format sonarqube $files > /tmp/mdock-sonar.$$
[ "$(jq '[.issues[] | select(.engineId and .ruleId and .severity and .type and .primaryLocation.textRange.startLine)] | length' /tmp/mdock-sonar.$$)" = "$nall" ] ||
  { echo "FAIL sonarqube: not an issue a finding"; fail=$((fail + 1)); }
# shellcheck disable=SC2086
"$MDOCK" lint --no-shellcheck --format junit $files > /tmp/mdock-junit.$$
xmllint --noout /tmp/mdock-junit.$$ &&
  [ "$(xmllint --xpath 'count(//testcase/failure)' /tmp/mdock-junit.$$)" = "$nall" ] &&
  [ "$(xmllint --xpath 'count(//testsuite)' /tmp/mdock-junit.$$)" = "$(echo $files | wc -w)" ] ||
  { echo "FAIL junit: not a testsuite a file and a failure a finding"; fail=$((fail + 1)); }
# reviewdog's rdjson (one document) and rdjsonl (a diagnostic a line)
# shellcheck disable=SC2086
[ "$("$MDOCK" lint --no-shellcheck --format rdjson $files |
     jq '[.diagnostics[] | select(.message and .location.path and .location.range.start.line and .severity and .code.value)] | length')" = "$nall" ] ||
  { echo "FAIL rdjson: not a diagnostic a finding"; fail=$((fail + 1)); }
# shellcheck disable=SC2086
[ "$("$MDOCK" lint --no-shellcheck --format rdjsonl $files |
     jq -c 'select(.source.name == "mdock" and .location.path and .code.value)' | wc -l)" = "$nall" ] ||
  { echo "FAIL rdjsonl: not a diagnostic a line"; fail=$((fail + 1)); }
rm -f /tmp/mdock-gnu.$$ /tmp/mdock-codacy.$$ /tmp/mdock-sonar.$$ /tmp/mdock-junit.$$
# --file-path-in-report: the name every format shows (stdin here)
[ "$("$MDOCK" lint --no-shellcheck --format json --file-path-in-report src/app/Dockerfile - \
     < MD015-fires/Dockerfile 2>/dev/null | jq -r '[.[].file] | unique | join(" ")')" = src/app/Dockerfile ] ||
  { echo "FAIL --file-path-in-report"; fail=$((fail + 1)); }
"$MDOCK" lint --no-shellcheck --format gnu --file-path-in-report src/app/Dockerfile - < MD015-fires/Dockerfile |
  grep -q '^mdock:src/app/Dockerfile:' || { echo "FAIL --file-path-in-report (gnu)"; fail=$((fail + 1)); }
# hadolint's -v (version) and -V (verbose: each directory's config)
"$MDOCK" lint -v | grep -q '^mdock lint [0-9]' || { echo "FAIL lint -v"; fail=$((fail + 1)); }
"$MDOCK" lint -V --no-shellcheck MD015-fires/Dockerfile 2>&1 >/dev/null |
  grep -q '^mdock lint: MD015-fires: ' || { echo "FAIL lint -V"; fail=$((fail + 1)); }
# ...and from elsewhere, in the modal dialect, the script is looked for
# where Modal would upload it from: the current directory
"$MDOCK" lint --format json modal-shellrunsscript-fires/Dockerfile |
  grep -q '"MDM002"' &&
  { echo "FAIL modal context: a script beside the Dockerfile was read from elsewhere"; fail=$((fail + 1)); }
"$MDOCK" lint --format json --context modal-shellrunsscript-fires \
  modal-shellrunsscript-fires/Dockerfile | grep -q '"MDM002"' ||
  { echo "FAIL modal context: --context DIR not read"; fail=$((fail + 1)); }
# many files in one run (linted on every core, directories listed once
# they hold several files, absent files skipped by the listing) give what
# one run per file gives, in input order; testdata/lint-many has a shared
# directory with .dockerignore, NAME.dockerignore and an entrypoint script,
# and more directories than the run's first allocation holds
many=$(cd "$ROOT/testdata/lint-many" &&
       for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
         echo "d$i/Dockerfile"
       done; ls shared/*.Dockerfile)
# (docker's dialect: each Dockerfile's directory is its context, the
# case the directory listings speed up; the Modal rules look for the
# entrypoint script in --context shared)
# shellcheck disable=SC2086
(cd "$ROOT/testdata/lint-many" &&
 { "$MDOCK" lint --dialect docker --format json $many;
   "$MDOCK" lint --context shared --format json $many; } |
   grep -E '"(file|line|rule)"' > /tmp/mdock-many-one.$$
 { for f in $many; do
     "$MDOCK" lint --dialect docker --format json "$f"
   done
   for f in $many; do
     "$MDOCK" lint --context shared --format json "$f"
   done; } | grep -E '"(file|line|rule)"' > /tmp/mdock-many-each.$$)
if ! cmp -s /tmp/mdock-many-one.$$ /tmp/mdock-many-each.$$ ||
   ! grep -q CopyIgnoredFile /tmp/mdock-many-one.$$ ||
   ! grep -q MDM002 /tmp/mdock-many-one.$$; then
  echo "FAIL many files: one run differs from one run per file"
  diff /tmp/mdock-many-one.$$ /tmp/mdock-many-each.$$ | head -5
  fail=$((fail + 1))
fi
# the same run from inside the directory, files named bare (`mdock lint
# *.Dockerfile`): the listing of "." answers for them, NAME.dockerignore
# included, with no failed open per file
(cd "$ROOT/testdata/lint-many/shared" &&
 "$MDOCK" lint --dialect docker --format json ./*.Dockerfile *.Dockerfile |
   grep -E '"(line|rule)"' > /tmp/mdock-many-one.$$
 for f in ./*.Dockerfile *.Dockerfile; do
   "$MDOCK" lint --dialect docker --format json "$f"
 done | grep -E '"(line|rule)"' > /tmp/mdock-many-each.$$)
if ! cmp -s /tmp/mdock-many-one.$$ /tmp/mdock-many-each.$$ ||
   [ "$(grep -c CopyIgnoredFile /tmp/mdock-many-one.$$)" -ne 2 ]; then
  echo "FAIL many files named bare: one run differs from one run per file"
  fail=$((fail + 1))
fi
if ! command -v strace >/dev/null; then
  echo "FAIL many files named bare: no strace (tools/deps.sh installs it)"
  fail=$((fail + 1))
elif (cd "$ROOT/testdata/lint-many/shared" &&
      strace -f -e trace=openat "$MDOCK" lint --dialect docker \
        --no-shellcheck *.Dockerfile 2>&1 >/dev/null |
        grep -q 'Dockerfile.dockerignore.*ENOENT'); then
  echo "FAIL many files named bare: NAME.dockerignore opened per file"
  fail=$((fail + 1))
fi
rm -f /tmp/mdock-many-one.$$ /tmp/mdock-many-each.$$

# --files-from: the same findings as the names given as arguments, from a
# file or standard input, a line each (CRLF, blank lines) or NUL-separated,
# and with names given as arguments too
(cd "$ROOT/testdata/lint-many/shared" &&
 "$MDOCK" lint --dialect docker --format json ./*.Dockerfile \
   > /tmp/mdock-ff-args.$$
 # shellcheck disable=SC2012
 ls ./*.Dockerfile > /tmp/mdock-ff-list.$$
 "$MDOCK" lint --dialect docker --format json --files-from \
   /tmp/mdock-ff-list.$$ > /tmp/mdock-ff-1.$$
 { echo; sed 's/$/\r/' /tmp/mdock-ff-list.$$; echo; } |
   "$MDOCK" lint --dialect docker --format json --files-from - \
   > /tmp/mdock-ff-2.$$
 tr '\n' '\0' < /tmp/mdock-ff-list.$$ |
   "$MDOCK" lint --dialect docker --format json --files-from - \
   > /tmp/mdock-ff-3.$$
 head -2 /tmp/mdock-ff-list.$$ > /tmp/mdock-ff-head.$$
 # shellcheck disable=SC2046  # the names split into arguments
 "$MDOCK" lint --dialect docker --format json --files-from \
   /tmp/mdock-ff-head.$$ $(tail -n +3 /tmp/mdock-ff-list.$$) \
   > /tmp/mdock-ff-4.$$)
for n in 1 2 3 4; do
  if [ ! -s /tmp/mdock-ff-args.$$ ] ||
     ! cmp -s /tmp/mdock-ff-args.$$ /tmp/mdock-ff-$n.$$; then
    echo "FAIL --files-from ($n): not the findings of the same names as arguments"
    fail=$((fail + 1))
  fi
done
check files-from-missing 2 "$MDOCK" lint --files-from /nonexistent.$$
check files-from-stdin-twice 2 sh -c "printf -- '-\n' | '$MDOCK' lint --files-from -"
check files-from-empty 2 sh -c "printf '\n' | '$MDOCK' lint --files-from -"
rm -f /tmp/mdock-ff-*.$$

# exit codes
check clean 0 "$MDOCK" lint MD000-silent/Dockerfile
check warning-at-info 1 "$MDOCK" lint MD015-fires/Dockerfile
check warning-below-error 0 "$MDOCK" lint --failure-threshold error MD015-fires/Dockerfile
check error-at-error 1 "$MDOCK" lint --failure-threshold error MD014-fires/Dockerfile
check info-below-warning 0 "$MDOCK" lint --failure-threshold warning MD026-fires/Dockerfile
check parse-error 1 "$MDOCK" lint MD000-fires/Dockerfile
check missing-file 2 "$MDOCK" lint does-not-exist/Dockerfile
check bad-option 2 "$MDOCK" lint --bogus MD000-silent/Dockerfile
check bad-threshold 2 "$MDOCK" lint --failure-threshold loud MD000-silent/Dockerfile
printf '{"disable": ["NoSuchRule"]}' > /tmp/mdock-badcfg.$$.json
check bad-config 2 "$MDOCK" lint --config /tmp/mdock-badcfg.$$.json MD000-silent/Dockerfile
printf '{"disable": ["MD015"]}' > /tmp/mdock-cfg.$$.json
check config-disables 0 "$MDOCK" lint --config /tmp/mdock-cfg.$$.json MD015-fires/Dockerfile
printf '{"severity": {"MD015": "error"}, "failure-threshold": "error"}' > /tmp/mdock-cfg.$$.json
check config-severity 1 "$MDOCK" lint --config /tmp/mdock-cfg.$$.json MD015-fires/Dockerfile
printf 'FROM alpine\n# mdock ignore=MD015\nFROM alpine\n' > /tmp/mdock-ign.$$
check inline-ignore-partial 1 "$MDOCK" lint /tmp/mdock-ign.$$
printf '# mdock ignore=MD015\nFROM alpine\n' > /tmp/mdock-ign.$$
check inline-ignore 0 "$MDOCK" lint /tmp/mdock-ign.$$
printf '{"no-inline-ignores": true}' > /tmp/mdock-cfg.$$.json
check no-inline-ignores 1 "$MDOCK" lint --config /tmp/mdock-cfg.$$.json /tmp/mdock-ign.$$
check stdin 1 sh -c "printf 'FROM alpine\n' | '$MDOCK' lint -"
check docker-dialect-off 0 "$MDOCK" lint --dialect docker MDM001-fires/Dockerfile --failure-threshold error
rm -f /tmp/mdock-*.$$ /tmp/mdock-*.$$.json /tmp/mdock-lint-out.$$
echo "lint outputs: sarif, checkstyle, json, gitlab, one run = one per file, --files-from, and 20 exit-code checks, $fail failed"
[ "$fail" -eq 0 ]
