#!/bin/sh
# lint_hadolint.sh - mdock lint as a drop-in for hadolint: its pragmas
# (`# hadolint ignore=` on the next instruction only, `global ignore=`,
# `shell=`), its config files (.hadolint.yaml / .hadolint.yml, found upward
# from the Dockerfile: ignored, override, trustedRegistries, label-schema,
# strict-labels, failure-threshold, no-fail, disable-ignore-pragma), its
# flags (--ignore, --error/--warning/--info/--style, --trusted-registry,
# --require-label, --no-fail, -t, -f, -c), its JSON keys and format names.
set -u
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
W=/tmp/mdock-hadolint-$$
rm -rf "$W"
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | head -12; fail=$((fail + 1)); }

# lint DIR [ARGS...]: codes found (hadolint's "code" key), one per line
codes() {
  d=$1; shift
  (cd "$d" && "$MDOCK" lint --no-shellcheck --format json "$@" Dockerfile) |
    jq -r '.[].code' 2>/dev/null | sort | tr '\n' ' '
}
has() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }
case_dir() { rm -rf "${W:?}/$1"; mkdir -p "$W/$1"; printf '%s' "$2" > "$W/$1/Dockerfile"; echo "$W/$1"; }

# --- pragmas ---------------------------------------------------------------
d=$(case_dir next 'FROM debian:12
# hadolint ignore=DL3008,DL3015
RUN apt-get install -y curl
RUN apt-get install -y wget
')
c=$(codes "$d")
# the ignore covers line 3 only: line 4 still has both
n8=$( (cd "$d" && "$MDOCK" lint --no-shellcheck -f json Dockerfile) |
      jq '[.[] | select(.code == "DL3008")] | length')
[ "$n8" = 1 ] && has DL3015 "$c" && ok || bad "ignore= applies to the next instruction only ($n8 DL3008: $c)"

d=$(case_dir spaced 'FROM debian:12
#   hadolint   ignore = DL3008 , DL3015  # why: pinned by the base
RUN apt-get install -y curl
')
c=$(codes "$d")
has DL3008 "$c" || has DL3015 "$c" && bad "spaces in a pragma ($c)" || ok

d=$(case_dir stacked 'FROM debian:12
# hadolint ignore=DL3008

RUN apt-get install -y --no-install-recommends curl
')
c=$(codes "$d")
has DL3008 "$c" && ok || bad "a pragma not right above the instruction applies ($c)"

d=$(case_dir global 'FROM debian:12
RUN apt-get install -y curl
# hadolint global ignore=DL3008,DL3015
RUN apt-get install -y wget
')
c=$(codes "$d")
has DL3008 "$c" || has DL3015 "$c" && bad "global ignore= ($c)" || ok

d=$(case_dir mdid 'FROM debian:12
# hadolint ignore=MD004
RUN apt-get install -y --no-install-recommends curl
')
c=$(codes "$d")
has DL3008 "$c" && bad "an mdock id in a hadolint pragma ($c)" || ok

d=$(case_dir dl1001 'FROM debian:12
# hadolint ignore=DL3008
RUN apt-get install -y --no-install-recommends curl
')
c=$(codes "$d" --warning DL1001)
has DL1001 "$c" && ok || bad "DL1001 on an inline pragma when asked for ($c)"
c=$(codes "$d")
has DL1001 "$c" && bad "DL1001 is off by default ($c)" || ok
c=$(codes "$d" --disable-ignore-pragma)
has DL3008 "$c" && ok || bad "--disable-ignore-pragma ($c)"

d=$(case_dir shell 'FROM mcr.microsoft.com/windows/servercore:ltsc2022
# hadolint shell=powershell
RUN Get-ChildItem | cd C:\\ ; apt-get install curl
')
c=$(codes "$d")
has DL3003 "$c" || has DL4006 "$c" || has DL3008 "$c" &&
  bad "shell=powershell: no POSIX shell rules ($c)" || ok
if command -v shellcheck >/dev/null; then
  s=$( (cd "$d" && "$MDOCK" lint --shellcheck -f json Dockerfile) |
       jq -r '.[].code' | grep -c '^SC' )
  [ "$s" = 0 ] && ok || bad "shell=powershell: no ShellCheck ($s SC findings)"
fi

# --- .hadolint.yaml --------------------------------------------------------
d=$(case_dir yaml 'FROM quay.io/acme/base:1
LABEL org.opencontainers.image.created="yesterday" extra=1
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
')
cat > "$d/.hadolint.yaml" <<'Y'
# a hadolint config, block and flow styles
ignored:
  - DL3015
override:
  error: [DL3008]
  style:
    - DL3050
trustedRegistries:
  - docker.io
  - "*.gcr.io"
label-schema:
  org.opencontainers.image.created: rfc3339
  org.opencontainers.image.version: semver
strict-labels: true
Y
j=$( (cd "$d" && "$MDOCK" lint --no-shellcheck -f json Dockerfile) )
c=$(printf '%s' "$j" | jq -r '.[].code' | sort | tr '\n' ' ')
has DL3015 "$c" && bad "yaml ignored ($c)" || ok
[ "$(printf '%s' "$j" | jq -r '[.[] | select(.code == "DL3008")][0].level')" = error ] &&
  ok || bad "yaml override error" "$j"
[ "$(printf '%s' "$j" | jq -r '[.[] | select(.code == "DL3050")][0].level')" = style ] &&
  ok || bad "yaml override style (strict-labels)" "$j"
has DL3026 "$c" && ok || bad "yaml trustedRegistries ($c)"
has DL3049 "$c" && has DL3053 "$c" && ok || bad "yaml label-schema ($c)"

sed -i 's|quay.io/acme/base:1|eu.gcr.io/acme/base:1|' "$d/Dockerfile"
c=$(codes "$d")
has DL3026 "$c" && bad "a '*.gcr.io' registry is trusted ($c)" || ok

# the threshold: error fails on DL3008 (overridden to error), and not when
# that is ignored too
printf 'failure-threshold: error\nignored: [DL3015]\noverride:\n  error: [DL3008]\n' > "$d/.hadolint.yaml"
(cd "$d" && "$MDOCK" lint --no-shellcheck Dockerfile >/dev/null); r=$?
[ "$r" = 1 ] && ok || bad "yaml failure-threshold error with an error: exit $r"
printf 'failure-threshold: error\nignored: [DL3008, DL3015]\n' > "$d/.hadolint.yaml"
(cd "$d" && "$MDOCK" lint --no-shellcheck Dockerfile >/dev/null); r=$?
[ "$r" = 0 ] && ok || bad "yaml failure-threshold error, only warnings: exit $r"
printf 'no-fail: true\n' > "$d/.hadolint.yaml"
(cd "$d" && "$MDOCK" lint --no-shellcheck Dockerfile >/dev/null); r=$?
[ "$r" = 0 ] && ok || bad "yaml no-fail: exit $r"

# found upward, .yml too; the nearest wins
mkdir -p "$W/up/a/b"
printf 'ignored: [DL3006]\n' > "$W/up/.hadolint.yml"
printf 'FROM debian\n' > "$W/up/a/b/Dockerfile"
c=$(codes "$W/up/a/b")
has DL3006 "$c" && bad ".hadolint.yml found upward ($c)" || ok
printf 'ignored: [DL3007]\n' > "$W/up/a/.hadolint.yaml"
c=$(codes "$W/up/a/b")
has DL3006 "$c" && ok || bad "the nearest config wins ($c)"

# -c FILE, and a bad config is an error that names file and line
printf 'ignored: [DL3006]\n' > "$W/explicit.yaml"
c=$(codes "$W/up/a/b" -c "$W/explicit.yaml")
has DL3006 "$c" && bad "-c FILE ($c)" || ok
printf 'ignored:\n  - DL3006\nfailure-treshold: error\n' > "$W/typo.yaml"
e=$( (cd "$W/up/a/b" && "$MDOCK" lint -c "$W/typo.yaml" Dockerfile 2>&1 >/dev/null) ); r=$?
[ "$r" = 2 ] && case "$e" in *typo.yaml:3:*failure-treshold*) true ;; *) false ;; esac &&
  ok || bad "an unknown config key: exit $r" "$e"

# --- flags -----------------------------------------------------------------
d=$(case_dir flags 'FROM debian:12
RUN apt-get install -y curl
')
c=$(codes "$d" --ignore DL3008 --ignore MD002)
has DL3008 "$c" || has DL3015 "$c" && bad "--ignore ($c)" || ok
lv=$( (cd "$d" && "$MDOCK" lint --no-shellcheck -f json --style DL3008 Dockerfile) |
      jq -r '[.[] | select(.code == "DL3008")][0].level')
[ "$lv" = style ] && ok || bad "--style DL3008: $lv"
(cd "$d" && "$MDOCK" lint --no-shellcheck -t error Dockerfile >/dev/null); r=$?
[ "$r" = 0 ] && ok || bad "-t error with warnings only: exit $r"
(cd "$d" && "$MDOCK" lint --no-shellcheck --no-fail Dockerfile >/dev/null); r=$?
[ "$r" = 0 ] && ok || bad "--no-fail: exit $r"
(cd "$d" && "$MDOCK" lint --no-shellcheck --ignore DL9999 Dockerfile >/dev/null 2>&1); r=$?
[ "$r" = 2 ] && ok || bad "--ignore of an unknown rule: exit $r"
c=$(codes "$d" --trusted-registry my.registry.io)
has DL3026 "$c" && ok || bad "--trusted-registry ($c)"
c=$(codes "$d" --require-label maintainer:email)
has DL3049 "$c" && ok || bad "--require-label ($c)"

# hadolint's environment variables (the command line wins)
c=$(cd "$d" && HADOLINT_IGNORE=DL3008,DL3015 "$MDOCK" lint --no-shellcheck -f json Dockerfile |
    jq -r '.[].code' | sort | tr '\n' ' ')
has DL3008 "$c" || has DL3015 "$c" && bad "HADOLINT_IGNORE ($c)" || ok
(cd "$d" && HADOLINT_NOFAIL=1 "$MDOCK" lint --no-shellcheck Dockerfile >/dev/null); r=$?
[ "$r" = 0 ] && ok || bad "HADOLINT_NOFAIL: exit $r"
lv=$( (cd "$d" && HADOLINT_OVERRIDE_ERROR=DL3008 "$MDOCK" lint --no-shellcheck -f json Dockerfile) |
      jq -r '[.[] | select(.code == "DL3008")][0].level')
[ "$lv" = error ] && ok || bad "HADOLINT_OVERRIDE_ERROR: $lv"
(cd "$d" && HADOLINT_FAILURE_THRESHOLD=error "$MDOCK" lint --no-shellcheck Dockerfile >/dev/null); r=$?
[ "$r" = 0 ] && ok || bad "HADOLINT_FAILURE_THRESHOLD=error: exit $r"
(cd "$d" && HADOLINT_FAILURE_THRESHOLD=error "$MDOCK" lint --no-shellcheck -t warning Dockerfile >/dev/null); r=$?
[ "$r" = 1 ] && ok || bad "-t over HADOLINT_FAILURE_THRESHOLD: exit $r"

# hadolint's JSON keys, and its format names
j=$( (cd "$d" && "$MDOCK" lint --no-shellcheck -f json Dockerfile) )
printf '%s' "$j" | jq -e 'all(.[]; has("code") and has("level") and has("line")
                              and has("column") and has("file")
                              and has("message"))' >/dev/null &&
  ok || bad "hadolint's JSON keys" "$j"
(cd "$d" && "$MDOCK" lint --no-shellcheck -f gitlab_codeclimate Dockerfile) |
  jq -e 'length > 0 and all(.[]; .check_name and .fingerprint)' >/dev/null &&
  ok || bad "-f gitlab_codeclimate"
n=$( (cd "$d" && "$MDOCK" lint --no-shellcheck -f codeclimate Dockerfile) |
     tr '\0' '\n' | jq -s 'length')
[ "${n:-0}" -gt 0 ] && ok || bad "-f codeclimate: NUL-separated issues ($n)"

# the run's output from its config (hadolint's one config, found from the
# current directory) under HADOLINT_FORMAT and -f: format, no-color,
# verbose; HADOLINT_ALLOWED_REGISTRIES, HADOLINT_VERBOSE
d=$(case_dir outcfg 'FROM debian:12
RUN apt-get install -y curl
')
printf 'format: gnu\nno-color: true\n' > "$d/.hadolint.yaml"
o=$(cd "$d" && "$MDOCK" lint --no-shellcheck Dockerfile)
case "$o" in mdock:Dockerfile:2:*DL3008*) ok ;; *) bad "format: gnu in the config" "$o" ;; esac
o=$(cd "$d" && HADOLINT_FORMAT=codacy "$MDOCK" lint --no-shellcheck Dockerfile | head -1)
case "$o" in '{"filename":"Dockerfile"'*) ok ;; *) bad "HADOLINT_FORMAT over the config" "$o" ;; esac
o=$(cd "$d" && HADOLINT_FORMAT=codacy "$MDOCK" lint --no-shellcheck -f json Dockerfile | jq -r '.[0].file')
[ "$o" = Dockerfile ] && ok || bad "-f over HADOLINT_FORMAT and the config: $o"
printf 'format: yaml\n' > "$d/.hadolint.yaml"
(cd "$d" && "$MDOCK" lint --no-shellcheck Dockerfile >/dev/null 2>&1); r=$?
[ "$r" = 2 ] && ok || bad "format: yaml was taken: exit $r"
printf 'verbose: true\n' > "$d/.hadolint.yaml"
o=$(cd "$d" && "$MDOCK" lint --no-shellcheck Dockerfile 2>&1 >/dev/null)
case "$o" in *"mdock lint: .: config "*hadolint.yaml*) ok ;; *) bad "verbose: true in the config" "$o" ;; esac
rm "$d/.hadolint.yaml"
o=$(cd "$d" && HADOLINT_VERBOSE=on "$MDOCK" lint --no-shellcheck Dockerfile 2>&1 >/dev/null)
case "$o" in *"mdock lint: .: no config"*) ok ;; *) bad "HADOLINT_VERBOSE=on" "$o" ;; esac
c=$(cd "$d" && HADOLINT_ALLOWED_REGISTRIES=my.registry.io "$MDOCK" lint --no-shellcheck -f json Dockerfile |
    jq -r '.[].code' | sort | tr '\n' ' ')
has DL3026 "$c" && ok || bad "HADOLINT_ALLOWED_REGISTRIES ($c)"

echo "lint as hadolint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
