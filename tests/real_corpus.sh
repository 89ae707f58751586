#!/bin/sh
# real_corpus.sh - every Dockerfile of ../shared/corpus/real, in one process.
# "Parses" means BuildKit's parser accepts it (mdock parse --format buildkit);
# the full check (instruction typing and builder expansion) is reported too:
# some corpus files are templates that docker build itself rejects.
set -u
MDOCK=$1
CORPUS=${MDK_CORPUS:-$(dirname "$0")/../../shared/corpus}
. "$(dirname "$0")/lib.sh"
corpus_or_skip "real corpus" "$CORPUS" || exit 0
files=$(cut -f1 "$CORPUS/real/MANIFEST.tsv" | tail -n +2 | sed "s|^|$CORPUS/|")
total=$(echo "$files" | wc -l)
# shellcheck disable=SC2086
out=$("$MDOCK" parse -q --format buildkit $files 2>&1 | tail -1)
echo "real corpus (parser): $out"
# shellcheck disable=SC2086
full=$("$MDOCK" parse -q $files 2>&1 | tail -1)
echo "real corpus (full checks, informational): $full"
# mdock ir agrees with the full check (`mdock parse`): what ir rejects the
# full check rejects too (values that depend on a base image are kept as
# written, not failed, so ir may accept a little more)
irok=0
irfail=""
disagree=""
for f in $files; do
  if "$MDOCK" ir -f "$f" >/dev/null 2>&1; then
    irok=$((irok + 1))
  else
    irfail="$irfail $(basename "$f")"
    "$MDOCK" parse -q "$f" >/dev/null 2>&1 && disagree="$disagree $(basename "$f")"
  fi
done
echo "real corpus (ir): $irok of $total lower to the IR${irfail:+; rejected:$irfail}"
[ -z "$disagree" ] || echo "real corpus (ir): FAIL: ir rejects what the full check accepts:$disagree"
# mdock lint: no crash, no internal error, over every file in one process
# shellcheck disable=SC2086
"$MDOCK" lint --format json $files > /tmp/mdock-lint-corpus.$$ 2>/tmp/mdock-lint-err.$$
lrc=$?
nfind=$(grep -c '"rule":' /tmp/mdock-lint-corpus.$$)
echo "real corpus (lint): exit $lrc, $nfind findings; most frequent:"
grep '"rule":' /tmp/mdock-lint-corpus.$$ | sort | uniq -c | sort -rn | head -10
lint_ok=1
[ "$lrc" -le 1 ] || lint_ok=0
grep -q "internal error" /tmp/mdock-lint-err.$$ && lint_ok=0
# files are linted on every core but reported in input order
echo "$files" > /tmp/mdock-lint-order.$$
if ! grep '"file":' /tmp/mdock-lint-corpus.$$ |
     sed 's/.*"file": "\(.*\)",$/\1/' | uniq |
     awk 'NR == FNR { idx[$0] = NR; next }
          { if (!($0 in idx) || idx[$0] <= last) bad = 1; last = idx[$0] }
          END { exit bad }' /tmp/mdock-lint-order.$$ -; then
  echo "real corpus (lint): findings out of input order"
  lint_ok=0
fi
rm -f /tmp/mdock-lint-order.$$
rm -f /tmp/mdock-lint-corpus.$$ /tmp/mdock-lint-err.$$
[ "$out" = "mdock: parsed $total of $total Dockerfiles" ] && [ "$total" -eq 719 ] &&
  [ "$irok" -ge 689 ] && [ -z "$disagree" ] && [ "$lint_ok" = 1 ]
