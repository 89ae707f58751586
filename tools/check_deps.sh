#!/bin/sh
# check_deps.sh - the module DAG (README "Layout"), enforced on includes.
#
# Each folder is a module with one public header, MODULE/MODULE.h.  A file
# may include its own module's headers, and from another module only that
# module's public header, and only when the DAG allows it:
#
#   base      -> (libc only)
#   ir        -> base
#   frontend  -> base ir            (and the generated grammar)
#   lint      -> base frontend ir
#   store     -> base ir
#   registry  -> base store ir
#   runtime   -> base
#   backend   -> base ir store registry runtime
#   cli       -> every module;  main.c -> cli (and every module)
#
# base/'s library loaders (*_dl.h) are public too.
# Nothing includes cli/ but main.c.  Tests may include anything: they test
# modules from the inside.  Exit 1, with file:line and the rule, on a
# violation.
set -eu
cd "$(dirname "$0")/.."

allowed() {
  case "$1" in
    base)     echo "" ;;
    ir)       echo "base" ;;
    frontend) echo "base ir" ;;
    grammar)  echo "base frontend" ;;
    lint)     echo "base frontend ir" ;;
    store)    echo "base ir" ;;
    registry) echo "base store ir" ;;
    runtime)  echo "base" ;;
    backend)  echo "base ir store registry runtime" ;;
    cli|main) echo "base frontend ir lint store registry runtime backend cli" ;;
  esac
}

MODULES="base ir frontend grammar lint store registry runtime backend cli"
fail=0
files=$(for m in $MODULES; do find "$m" -maxdepth 1 \( -name "*.[ch]" -o -name "*.y" -o -name "*.re" \) 2>/dev/null; done | sort; echo main.c)
for f in $files; do
  case "$f" in
    main.c) mod=main ;;
    *) mod=${f%%/*}; [ "$mod" = grammar ] && mod=frontend ;;
  esac
  ok=" $(allowed "$mod") "
  # every quoted include with a folder: "MOD/header.h"
  out=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' "$f" |
    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' |
    while read -r line path; do
      dep=${path%%/*}
      [ "$dep" = "$mod" ] && continue
      case "$ok" in
        *" $dep "*) ;;
        *) echo "$f:$line: error: $mod/ may not include $path ($mod -> $dep goes against the module DAG)"
           echo "    hint: move the code, or pass what $mod needs in from a module that may use $dep (tools/check_deps.sh lists the DAG)"
           continue ;;
      esac
      [ "$dep" = grammar ] && continue
      # the loaders of optional libraries are public on purpose (base.h)
      case "$path" in base/*_dl.h) continue ;; esac
      if [ "$path" != "$dep/$dep.h" ]; then
        echo "$f:$line: error: $path is private to $dep/"
        echo "    hint: include \"$dep/$dep.h\", $dep/'s one public header (export what is missing there)"
      fi
    done)
  if [ -n "$out" ]; then
    printf '%s\n' "$out"
    fail=1
  fi
done
if [ $fail -ne 0 ]; then
  echo "check-deps: FAILED"
  exit 1
fi
echo "check-deps: $(echo $files | wc -w) files follow the module DAG"
