#!/bin/sh
# docs_rules.sh - docs/rules.md is what tools/rules_md.sh makes of
# lint/rules.def and testdata/lint (regenerate with `make docs`), and every
# rule's documentation link (mdock lint's JSON "doc", SARIF's helpUri)
# names a heading that exists in it.
set -u
MDOCK=$1
HERE=$(cd "$(dirname "$0")/.." && pwd)
fail=0
if ! sh "$HERE/tools/rules_md.sh" | cmp -s - "$HERE/docs/rules.md"; then
  echo "FAIL docs/rules.md is out of date (make docs)"
  sh "$HERE/tools/rules_md.sh" | diff -u "$HERE/docs/rules.md" - | head -20
  fail=$((fail + 1))
fi
n=0
# one finding of every rule would need every rule to fire; the links come
# from the rule table, which SARIF output carries whole
printf 'FROM scratch\n' > /tmp/mdock-docs-$$.Dockerfile
"$MDOCK" lint --no-shellcheck --format sarif /tmp/mdock-docs-$$.Dockerfile |
  jq -r '.runs[0].tool.driver.rules[].helpUri' > /tmp/mdock-docs-$$.urls
rm -f /tmp/mdock-docs-$$.Dockerfile
while read -r url; do
  case "$url" in
    */docs/rules.md#*)
      anchor=${url##*#}
      n=$((n + 1))
      if ! grep -qix "## $anchor" "$HERE/docs/rules.md"; then
        echo "FAIL $url: no heading for #$anchor in docs/rules.md"
        fail=$((fail + 1))
      fi ;;
    https://docs.docker.com/go/dockerfile/rule/*/) ;;
    *) echo "FAIL unexpected doc link $url"; fail=$((fail + 1)) ;;
  esac
done < /tmp/mdock-docs-$$.urls
rm -f /tmp/mdock-docs-$$.urls
[ "$n" -gt 0 ] || { echo "FAIL no docs/rules.md links seen"; fail=$((fail + 1)); }
echo "docs/rules.md: up to date, $n rule links resolve, $fail failed"
[ "$fail" -eq 0 ]
