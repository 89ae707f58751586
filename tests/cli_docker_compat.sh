#!/bin/sh
# cli_docker_compat.sh - docker's command line where mdock has it, each
# flag and verb with an assertion on its effect: build --iidfile,
# --metadata-file (BuildKit's keys), --label (in the config), --add-host
# (a RUN sees it), --network none (a RUN has only loopback), --pull bare;
# images' columns, -q IDs, --digests, --format; image IDs by prefix;
# rmi by ID; history rows; save | load round trip; inspect in docker's
# shape with --format templates; context - (a tar or a Dockerfile);
# --build-context NAME=DIR|docker-image://REF.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-compat.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store" NO_COLOR=1
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
BB="$WORK/busybox"
busybox_context "$BB"
(cd "$BB" && "$MDOCK" build -q -t busybox:t . >/dev/null) || { echo "cannot build busybox"; exit 1; }

mkdir -p "$WORK/app"
cat > "$WORK/app/Dockerfile" <<'EOF'
FROM busybox:t
RUN grep myhost /etc/hosts > /hosts-seen || true
RUN ip link | grep -c 'mtu' > /links
EOF
(cd "$WORK/app" && "$MDOCK" build -q --iidfile "$WORK/iid" --metadata-file "$WORK/meta.json" \
   --label org.example.team=builders --label second=2 --add-host myhost:10.9.8.7 \
   --network none -t app:1 . > "$WORK/id" 2>"$WORK/err") || bad "build: $(tail -3 "$WORK/err")"
# --pull alone is --pull=always (docker's): a local-only base is pulled,
# which fails here (no registry); the value forms take their value
mkdir -p "$WORK/pull" && printf 'FROM busybox:t\nRUN true\n' > "$WORK/pull/Dockerfile"
(cd "$WORK/pull" && "$MDOCK" build -q --pull . >/dev/null 2>"$WORK/err") && bad "--pull did not pull"
grep -q 'pull' "$WORK/err" || bad "--pull: $(tail -2 "$WORK/err")"
(cd "$WORK/pull" && "$MDOCK" build -q --pull=never . >/dev/null 2>"$WORK/err") || bad "--pull=never: $(tail -2 "$WORK/err")"
(cd "$WORK/pull" && "$MDOCK" build -q --pull=false . >/dev/null 2>"$WORK/err") || bad "--pull=false: $(tail -2 "$WORK/err")"
(cd "$WORK/pull" && "$MDOCK" build -q --pull=true . >/dev/null 2>&1) && bad "--pull=true did not pull"
id=$(cat "$WORK/id")
[ "$(cat "$WORK/iid")" = "$id" ] || bad "--iidfile holds '$(cat "$WORK/iid")', build printed '$id'"
[ "$(jq -r '."containerimage.config.digest"' "$WORK/meta.json")" = "$id" ] ||
  bad "metadata containerimage.config.digest: $(cat "$WORK/meta.json")"
[ "$(jq -r '."containerimage.digest"' "$WORK/meta.json")" = "$("$MDOCK" inspect app:1 | jq -r '.[0].Descriptor.digest')" ] ||
  bad "metadata containerimage.digest is not the manifest's"
[ "$(jq -r '."image.name"' "$WORK/meta.json")" = "docker.io/library/app:1" ] ||
  bad "metadata image.name: $(cat "$WORK/meta.json")"
labels=$("$MDOCK" inspect --format config app:1 | jq -c '.Labels')
[ "$labels" = '{"org.example.team":"builders","second":"2"}' ] || bad "--label: $labels"
"$MDOCK" save app:1 > "$WORK/app.tar" || bad "save"
mkdir -p "$WORK/x" && tar -xf "$WORK/app.tar" -C "$WORK/x"
found=""
for l in $(jq -r '.[0].Layers[]' "$WORK/x/manifest.json"); do
  tar -xOf "$WORK/x/$l" hosts-seen 2>/dev/null | grep -q '10.9.8.7' && found=yes
  [ "$(tar -xOf "$WORK/x/$l" links 2>/dev/null)" = 1 ] && found="$found+lo"
done
case "$found" in *yes*) ;; *) bad "--add-host: a RUN did not see myhost" ;; esac
case "$found" in *+lo*) ;; *) bad "--network none: a RUN saw more than loopback" ;; esac
# --network and --add-host are in the RUN's key: without them it rebuilds
out=$(cd "$WORK/app" && "$MDOCK" build --progress json -t app:2 . 2>&1 >/dev/null |
      grep '^{' | jq -r 'select(.key != null and .status != null) | .status' | sort -u)
[ "$out" = "done" ] || bad "a build without --add-host/--network reused their steps: $out"

# images
hdr=$("$MDOCK" images | head -1)
printf '%s\n' "$hdr" | grep -q '^REPOSITORY *TAG *IMAGE ID *CREATED *SIZE$' || bad "images header: $hdr"
row=$("$MDOCK" images | grep '^app ')
printf '%s\n' "$row" | grep -qE '^app +1 +[0-9a-f]{12} +.*ago +[0-9.]+[kM]?B$' || bad "images row: $row"
"$MDOCK" images -q | grep -qx "$(echo "$id" | cut -c8-19)" || bad "images -q: $("$MDOCK" images -q)"
"$MDOCK" images -q --no-trunc | grep -qx "$id" || bad "images -q --no-trunc"
# short switches together, as docker's: -qa is -q -a
[ "$("$MDOCK" images -qa)" = "$("$MDOCK" images -q -a)" ] && [ -n "$("$MDOCK" images -qa)" ] || bad "images -qa"
"$MDOCK" images -qz >/dev/null 2>"$WORK/err"; [ $? -eq 2 ] && grep -q "'-z'" "$WORK/err" || bad "an unknown switch in a bundle: $(cat "$WORK/err")"
"$MDOCK" images --digests | grep '^app ' | grep -q "$("$MDOCK" inspect app:1 | jq -r '.[0].Descriptor.digest')" ||
  bad "images --digests"
[ "$("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' | grep '^app:1$')" = app:1 ] || bad "images --format"
# docker images [REPOSITORY[:TAG]] and -f: the operand is reference=NAME
# (the name with or without its tag); newest first; bad filters are usage
# errors (tests/buildkit_history.sh checks the filters against docker's)
[ "$("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' app | sort | tr '\n' ' ')" = "app:1 app:2 " ] ||
  bad "images app: $("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' app)"
[ "$("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' app:1)" = app:1 ] || bad "images app:1"
[ "$("$MDOCK" images -q 'b*')" = "$("$MDOCK" images -q busybox:t)" ] || bad "images 'b*'"
[ "$("$MDOCK" images -q -f label=second=2 app:1)" = "$(echo "$id" | cut -c8-19)" ] || bad "images -f label=second=2"
[ -z "$("$MDOCK" images -q -f label=second=3)" ] || bad "images -f label=second=3 listed an image"
# since/before and the order over times SOURCE_DATE_EPOCH sets (2001, 2004)
(cd "$WORK/app" && SOURCE_DATE_EPOCH=1000000000 "$MDOCK" build -q -t old:2001 "$BB" &&
  SOURCE_DATE_EPOCH=1100000000 "$MDOCK" build -q -t old:2004 "$BB") >/dev/null 2>"$WORK/err" ||
  bad "SOURCE_DATE_EPOCH builds: $(tail -2 "$WORK/err")"
[ "$("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' -f since=old:2001 old)" = old:2004 ] ||
  bad "images -f since=old:2001: $("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' -f since=old:2001 old)"
[ "$("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' -f before=app:1 old)" = "$(printf 'old:2004\nold:2001')" ] ||
  bad "images -f before=app:1 old: $("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' -f before=app:1 old)"
[ "$("$MDOCK" images --format '{{.Repository}}:{{.Tag}}' | tail -2 | tr '\n' ' ')" = "old:2004 old:2001 " ] ||
  bad "images: not newest first: $("$MDOCK" images --format '{{.Repository}}:{{.Tag}}')"
"$MDOCK" rmi old:2001 old:2004 >/dev/null || bad "rmi old:2001 old:2004"
for f in bogus=1 dangling=maybe nofilter; do
  "$MDOCK" images -f "$f" >/dev/null 2>"$WORK/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "filter" "$WORK/err" || bad "images -f $f: exit $rc, $(cat "$WORK/err")"
done
"$MDOCK" images app busybox >/dev/null 2>&1; [ $? -eq 2 ] || bad "images with two names"
"$MDOCK" images -f since=nope >/dev/null 2>"$WORK/err"; [ $? -eq 1 ] && grep -q nope "$WORK/err" || bad "images -f since=nope"
# --shm-size and --ulimit reach RUN (the embedded runtime and runc), are in
# its key (a build without them runs it again), and bad values are usage
# errors
mkdir -p "$WORK/lim"
printf 'FROM busybox:t\nRUN df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2 > /shm; ulimit -n > /nofile; ulimit -Hn > /nofileh\n' > "$WORK/lim/Dockerfile"
for rt in embedded runc; do
  rm -rf "$WORK/lim.out"
  "$MDOCK" build -q --runtime $rt --shm-size 96m --ulimit nofile=600:700 -o "type=local,dest=$WORK/lim.out" "$WORK/lim" >/dev/null 2>"$WORK/err" &&
    [ "$(cat "$WORK/lim.out/shm" "$WORK/lim.out/nofile" "$WORK/lim.out/nofileh" | tr '\n' ' ')" = "98304 600 700 " ] ||
    bad "--shm-size/--ulimit ($rt): $(cat "$WORK/lim.out/shm" "$WORK/lim.out/nofile" "$WORK/lim.out/nofileh" 2>&1) $(tail -2 "$WORK/err")"
done
rm -rf "$WORK/lim.out"
"$MDOCK" build -q -o "type=local,dest=$WORK/lim.out" "$WORK/lim" >/dev/null 2>&1 &&
  [ "$(cat "$WORK/lim.out/shm")" = 65536 ] || bad "the default /dev/shm is not docker's 64m: $(cat "$WORK/lim.out/shm")"
for bad_opt in "--shm-size 2x" "--ulimit bogus=1" "--ulimit nofile=10:5" "--ulimit nofile"; do
  # shellcheck disable=SC2086
  "$MDOCK" build -q $bad_opt "$WORK/lim" >/dev/null 2>&1; [ $? = 2 ] || bad "build $bad_opt was taken"
done
# BuildKit's build checks in a build (testdata/build-checks): check=error=true
# fails before any step at the directive's line; warnings are summed up
# after the build as buildx does; --check/--call=check build nothing and
# exit 1 on findings; BUILDKIT_DOCKERFILE_CHECK is the directive's build arg
BC="$(cd "$(dirname "$0")/../testdata/build-checks" && pwd)"
(cd "$BC" && "$MDOCK" build -f error-true.Dockerfile -t bc:err . > "$WORK/bc.out" 2> "$WORK/err")
rc=$?
[ $rc = 1 ] && grep -q '^error-true.Dockerfile:2:1: error: lint violation found for rules: JSONArgsRecommended$' "$WORK/err" &&
  grep -q ' - JSONArgsRecommended: .* (line 5)$' "$WORK/err" && ! grep -q 'COPY f' "$WORK/err" &&
  ! "$MDOCK" inspect bc:err >/dev/null 2>&1 || bad "check=error=true: exit $rc, $(cat "$WORK/err")"
(cd "$BC" && "$MDOCK" build --progress plain -f warnings.Dockerfile -t bc:warn . > /dev/null 2> "$WORK/err") ||
  bad "a build with check warnings failed: $(tail -3 "$WORK/err")"
[ "$(grep -c '^ - ' "$WORK/err")" = 2 ] && grep -q '^ 2 warnings found' "$WORK/err" &&
  grep -q "^ - StageNameCasing: Stage name 'Base' should be lowercase (line 1)$" "$WORK/err" ||
  bad "the build checks' summary: $(tail -4 "$WORK/err")"
(cd "$BC" && "$MDOCK" build -q -f warnings.Dockerfile . > /dev/null 2> "$WORK/err")
[ ! -s "$WORK/err" ] || bad "build -q printed the checks: $(cat "$WORK/err")"
(cd "$BC" && "$MDOCK" build -q -f skipped.Dockerfile . > /dev/null 2> "$WORK/err") ||
  bad "check=error=true with the finding skipped failed: $(cat "$WORK/err")"
(cd "$BC" && "$MDOCK" build -q -f warnings.Dockerfile --build-arg 'BUILDKIT_DOCKERFILE_CHECK=error=true' . > /dev/null 2> "$WORK/err")
[ $? = 1 ] && grep -q 'lint violation found for rules: StageNameCasing, JSONArgsRecommended' "$WORK/err" &&
  grep -q 'check=skip=StageNameCasing,JSONArgsRecommended' "$WORK/err" || bad "BUILDKIT_DOCKERFILE_CHECK=error=true: $(cat "$WORK/err")"
(cd "$BC" && "$MDOCK" build -q -f warnings.Dockerfile --build-arg 'BUILDKIT_DOCKERFILE_CHECK=skip=all;error=true' . > /dev/null 2> "$WORK/err") ||
  bad "BUILDKIT_DOCKERFILE_CHECK=skip=all: $(cat "$WORK/err")"
for f in error-true warnings clean; do
  for flag in --check --call=check; do
    (cd "$BC" && "$MDOCK" build $flag -f $f.Dockerfile -t bc:check . > "$WORK/bc.out" 2> "$WORK/err")
    rc=$?
    want=1; last='^Check complete, [0-9]* warnings* ha[sv]e* been found!$'
    [ $f = clean ] && { want=0; last='^Check complete, no warnings found.$'; }
    [ $rc = $want ] && tail -1 "$WORK/bc.out" | grep -q "$last" && ! "$MDOCK" inspect bc:check >/dev/null 2>&1 ||
      bad "build $flag $f: exit $rc, $(cat "$WORK/bc.out" "$WORK/err")"
  done
done
(cd "$BC" && "$MDOCK" build --check -f warnings.Dockerfile . | grep -q '^warnings.Dockerfile:3:1: warning: JSON arguments') ||
  bad "build --check does not show the finding located"
(cd "$BC" && "$MDOCK" build -q -f clean.Dockerfile -t bc:base . >/dev/null &&
  "$MDOCK" build --progress plain -f basevars.Dockerfile . > /dev/null 2> "$WORK/err") ||
  bad "basevars: $(tail -3 "$WORK/err")"
grep -q "^ - UndefinedVar: Usage of undefined variable '\$UNDEF' (line 3)$" "$WORK/err" &&
  ! grep -q "variable '\$PATH'" "$WORK/err" || bad "the base's ENV in the checks: $(tail -4 "$WORK/err")"
# BUILDX_METADATA_WARNINGS=1: the findings in the metadata file under
# buildx's key, as BuildKit's warnings (base64 texts); not without it
(cd "$BC" && BUILDX_METADATA_WARNINGS=1 "$MDOCK" build -q -f warnings.Dockerfile --metadata-file "$WORK/bc.json" . >/dev/null 2>&1) &&
  [ "$(jq -r '."buildx.build.warnings" | map(.short | @base64d) | join("|")' "$WORK/bc.json")" = \
    "StageNameCasing: Stage name 'Base' should be lowercase (line 1)|JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 3)" ] &&
  [ "$(jq -r '."buildx.build.warnings"[0].sourceInfo.data | @base64d' "$WORK/bc.json")" = "$(cat "$BC/warnings.Dockerfile")" ] ||
  bad "BUILDX_METADATA_WARNINGS: $(cat "$WORK/bc.json")"
(cd "$BC" && "$MDOCK" build -q -f warnings.Dockerfile --metadata-file "$WORK/bc.json" . >/dev/null 2>&1) &&
  [ "$(jq 'has("buildx.build.warnings")' "$WORK/bc.json")" = false ] || bad "warnings in the metadata without BUILDX_METADATA_WARNINGS"
# buildx's attestation and builder flags: no attestations asked, no builder
(cd "$BC" && "$MDOCK" build -q --provenance=false --sbom=false --attest type=provenance,disabled=true \
   --builder default -f clean.Dockerfile . > /dev/null 2> "$WORK/err") || bad "buildx's flags: $(cat "$WORK/err")"
for flag in --provenance --sbom=true --attest=type=sbom; do
  (cd "$BC" && "$MDOCK" build -q $flag -f clean.Dockerfile . > /dev/null 2> "$WORK/err")
  [ $? = 2 ] && grep -q 'no .* attestations' "$WORK/err" || bad "build $flag was taken: $(cat "$WORK/err")"
done
# --format json (docker 23 and later): a row a line, {{json .}}; inspect's
# is its default array; "table" alone is the default table
"$MDOCK" images --format json app:1 | jq -e '.Repository == "app" and .Tag == "1" and (.ID | length) == 12' >/dev/null ||
  bad "images --format json: $("$MDOCK" images --format json app:1)"
[ "$("$MDOCK" history --format json app:1 | jq -s 'length')" = "$("$MDOCK" history -q app:1 | wc -l)" ] ||
  bad "history --format json: $("$MDOCK" history --format json app:1 | head -2)"
[ "$("$MDOCK" inspect --format json app:1)" = "$("$MDOCK" inspect app:1)" ] || bad "inspect --format json"
[ "$("$MDOCK" images --format table)" = "$("$MDOCK" images)" ] || bad "images --format table"
[ "$("$MDOCK" history --format table app:1)" = "$("$MDOCK" history app:1)" ] || bad "history --format table"
[ "$("$MDOCK" images --format 'table{{.Tag}}' app:1 | tr '\n' ' ')" = "TAG 1 " ] || bad "images --format 'table{{.Tag}}'"
# pflag's forms of a short option's value: -H=false, -qH=false, -f=FILE
[ "$("$MDOCK" history -H=false app:1 | head -1 | cut -c16-25)" = "CREATED AT" ] || bad "history -H=false"
[ "$("$MDOCK" history -qH=false app:1 | head -1)" = "$(echo "$id" | cut -c8-19)" ] || bad "history -qH=false"
"$MDOCK" history -H=maybe app:1 >/dev/null 2>&1; [ $? -eq 2 ] || bad "history -H=maybe was taken"
(cd "$WORK/app" && "$MDOCK" build -q -f=Dockerfile --add-host myhost:10.9.8.7 --network none --label org.example.team=builders --label second=2 .) > "$WORK/id2" 2>"$WORK/err" &&
  [ "$(cat "$WORK/id2")" = "$id" ] || bad "build -f=Dockerfile: $(cat "$WORK/id2") $(tail -2 "$WORK/err")"

# IDs as docker takes them
for ref in "$id" "${id#sha256:}" "$(echo "$id" | cut -c1-15)" "$(echo "$id" | cut -c8-19)"; do
  [ "$("$MDOCK" inspect "$ref" 2>/dev/null | jq -r '.[0].Id')" = "$id" ] || bad "inspect $ref"
done
"$MDOCK" tag "$(echo "$id" | cut -c8-19)" app:again || bad "tag by ID"

# history: a row per entry, newest first, the ID on top
h=$("$MDOCK" history app:1)
[ "$(printf '%s\n' "$h" | wc -l)" = $(( $("$MDOCK" inspect --format history app:1 | jq length) + 1 )) ] ||
  bad "history rows: $h"
printf '%s\n' "$h" | sed -n 2p | grep -q "^$(echo "$id" | cut -c8-19) " || bad "history top row: $h"
printf '%s\n' "$h" | sed -n 3p | grep -q '^<missing> ' || bad "history rows below the top: $h"
[ "$("$MDOCK" history --no-trunc --format '{{.CreatedBy}}' app:1 | head -1)" = \
  "RUN /bin/sh -c ip link | grep -c 'mtu' > /links # buildkit" ] || bad "history --format: $("$MDOCK" history --no-trunc --format '{{.CreatedBy}}' app:1 | head -1)"

# save | load, then rmi by ID (two names: -f)
MDOCK_ROOT="$WORK/other" "$MDOCK" load < "$WORK/app.tar" > "$WORK/load" || bad "load"
grep -qx 'Loaded image: app:1' "$WORK/load" || bad "load: $(cat "$WORK/load")"
"$MDOCK" save -o "$WORK/app-o.tar" app:1 || bad "save -o"
cmp -s "$WORK/app.tar" "$WORK/app-o.tar" || bad "save -o wrote another archive than save to stdout"
MDOCK_ROOT="$WORK/third" "$MDOCK" load -i "$WORK/app-o.tar" > "$WORK/load" || bad "load -i"
[ "$(MDOCK_ROOT="$WORK/third" "$MDOCK" images -q --no-trunc)" = "$id" ] || bad "load -i: another ID"
[ "$(MDOCK_ROOT="$WORK/other" "$MDOCK" images -q --no-trunc)" = "$id" ] || bad "the loaded image has another ID"
"$MDOCK" rmi "$(echo "$id" | cut -c8-19)" >/dev/null 2>&1 && bad "rmi of an ID with two names without -f"
"$MDOCK" rmi -f "$(echo "$id" | cut -c8-19)" > "$WORK/rmi" || bad "rmi -f ID"
grep -qx 'Untagged: app:1' "$WORK/rmi" && grep -qx 'Untagged: app:again' "$WORK/rmi" &&
  grep -qx "Deleted: $id" "$WORK/rmi" || bad "rmi -f ID: $(cat "$WORK/rmi")"
"$MDOCK" images | grep -q '^app  *1 ' && bad "app:1 is still there"

# inspect: docker image inspect's shape, and --format templates
"$MDOCK" tag busybox:t bb:again
j=$("$MDOCK" inspect busybox:t)
for k in Id RepoTags RepoDigests Created Config Architecture Os Size RootFS Metadata; do
  printf '%s' "$j" | jq -e ".[0] | has(\"$k\")" >/dev/null || bad "inspect has no $k"
done
[ "$(printf '%s' "$j" | jq -r '.[0].RepoTags | join(",")')" = "bb:again,busybox:t" ] ||
  bad "inspect RepoTags: $(printf '%s' "$j" | jq -c '.[0].RepoTags')"
[ "$(printf '%s' "$j" | jq -r '.[0].Config.Hostname')" = "" ] || bad "inspect Config is not docker's container config"
bbid=$(printf '%s' "$j" | jq -r '.[0].Id')
[ "$("$MDOCK" inspect --format '{{.Id}}' busybox:t)" = "$bbid" ] || bad "inspect --format {{.Id}}"
# docker inspect's short -f, --type image and -s; rmi --no-prune
[ "$("$MDOCK" inspect -f '{{.Id}}' --type image -s busybox:t)" = "$bbid" ] || bad "inspect -f --type image -s"
"$MDOCK" inspect --type container busybox:t >/dev/null 2>&1; [ $? -eq 2 ] || bad "inspect --type container was taken"
"$MDOCK" tag busybox:t bb:noprune && [ "$("$MDOCK" rmi --no-prune bb:noprune)" = "Untagged: bb:noprune" ] ||
  bad "rmi --no-prune"
[ "$("$MDOCK" inspect --format '{{json .RootFS.Layers}}' busybox:t)" = "$(printf '%s' "$j" | jq -c '.[0].RootFS.Layers')" ] ||
  bad "inspect --format {{json}}"
[ "$("$MDOCK" inspect --format '{{index .Config.Labels "org.example.team"}}' app:2)" = builders ] &&
  bad "app:2 was built without --label but has it"
[ "$("$MDOCK" inspect --format '{{range .RepoTags}}<{{.}}>{{end}}' busybox:t)" = "<bb:again><busybox:t>" ] ||
  bad "inspect --format {{range}}"
[ "$("$MDOCK" inspect --format '{{.RepoTags}}' busybox:t)" = "[bb:again busybox:t]" ] || bad "inspect --format of a list"
"$MDOCK" inspect --format '{{.Id' busybox:t >/dev/null 2>"$WORK/err" && bad "an unclosed template was accepted"
grep -q 'unclosed action' "$WORK/err" || bad "template error: $(cat "$WORK/err")"
"$MDOCK" images --format '{{.Nope}}' >/dev/null 2>&1; [ $? -eq 2 ] || bad "images --format with an unknown field"
hdr=$("$MDOCK" history busybox:t | head -1)
printf '%s\n' "$hdr" | grep -q '^IMAGE  *CREATED  *CREATED BY  *SIZE  *COMMENT$' || bad "history header: $hdr"

# context -: a tar (compressed or not) of the context, or a Dockerfile alone
mkdir -p "$WORK/tarctx" && printf 'FROM busybox:t\nCOPY . /ctx/\n' > "$WORK/tarctx/Dockerfile"
printf 'FROM busybox:t\nCOPY data /alt\n' > "$WORK/tarctx/Alt.df"
echo payload > "$WORK/tarctx/data"
tar -cz -C "$WORK/tarctx" . | "$MDOCK" build -q -t fromtar - > /dev/null 2>"$WORK/err" || bad "build - < tar.gz: $(tail -2 "$WORK/err")"
[ "$("$MDOCK" run fromtar cat /ctx/data 2>&1)" = payload ] || bad "the stdin tar was not the context"
tar -c -C "$WORK/tarctx" . | "$MDOCK" build -q -f Alt.df -t fromtar2 - > /dev/null 2>"$WORK/err" || bad "build -f in the tar: $(tail -2 "$WORK/err")"
[ "$("$MDOCK" run fromtar2 cat /alt 2>&1)" = payload ] || bad "-f did not name the Dockerfile inside the tar"
printf 'FROM busybox:t\nENV FROM_STDIN=1\n' | "$MDOCK" build -q -t fromdf - > /dev/null 2>"$WORK/err" || bad "build - < Dockerfile: $(tail -2 "$WORK/err")"
"$MDOCK" inspect --format '{{.Config.Env}}' fromdf | grep -q FROM_STDIN=1 || bad "the Dockerfile on stdin was not built"
printf 'FROM busybox:t\nCOPY data /d\n' | "$MDOCK" build -q - > /dev/null 2>&1 && bad "a Dockerfile on stdin had a context"
echo x | "$MDOCK" build -f - - > /dev/null 2>&1; [ $? -eq 2 ] || bad "-f - with context - was not a usage error"

# --build-context: a directory and an image stand for names that are not
# stages, in FROM and COPY --from; a changed directory rebuilds its COPY
mkdir -p "$WORK/named/ctx" "$WORK/named/extra" "$WORK/named/root"
echo one > "$WORK/named/extra/e.txt"
echo rootfile > "$WORK/named/root/r.txt"
printf 'FROM mybase\nCOPY --from=extra e.txt /e\nCOPY --from=tools /bin/busybox /busybox\n' > "$WORK/named/ctx/Dockerfile"
nb() { (cd "$WORK/named" && "$MDOCK" build --progress json -t named "$@" ctx 2>"$WORK/nb.json" >/dev/null); }
nb --build-context mybase=./root --build-context extra=./extra --build-context tools=docker-image://busybox:t ||
  bad "--build-context: $(grep -v '^{' "$WORK/nb.json" | tail -3)"
[ "$("$MDOCK" run named /busybox cat /r.txt /e 2>&1 | tr '\n' ' ')" = "rootfile one " ] ||
  bad "--build-context: FROM a directory / COPY --from a directory: $("$MDOCK" run named /busybox cat /r.txt /e 2>&1)"
echo two > "$WORK/named/extra/e.txt"
nb --build-context mybase=./root --build-context extra=./extra --build-context tools=docker-image://busybox:t --pull=always ||
  bad "--build-context with --pull=always: $(grep -v '^{' "$WORK/nb.json" | tail -3)"
[ "$("$MDOCK" run named /busybox cat /e 2>&1)" = two ] || bad "a changed --build-context directory was not copied again"
(cd "$WORK/named" && "$MDOCK" build -q --build-context x=https://example.com/c.tar ctx >/dev/null 2>&1); [ $? -eq 2 ] ||
  bad "--build-context with a URL was not a usage error"
printf 'FROM mybase\n' > "$WORK/named/ctx/Dockerfile"
(cd "$WORK/named" && "$MDOCK" build -q --build-context mybase=./nope ctx >/dev/null 2>"$WORK/err") && bad "--build-context of a missing directory built"
grep -q 'mybase' "$WORK/err" || bad "--build-context error: $(cat "$WORK/err")"

# -o as BuildKit reads it: type=oci is an OCI archive unless tar=false
# (or dest is a directory), type=docker a docker-load archive, dest=- the
# standard output (the image ID then goes to stderr)
mkdir -p "$WORK/out/ctx"
printf 'FROM scratch\nCOPY f /f\n' > "$WORK/out/ctx/Dockerfile"
echo out > "$WORK/out/ctx/f"
(cd "$WORK/out" && "$MDOCK" build -q -t outs -o type=oci,dest=app.tar ctx >/dev/null) &&
  [ -f "$WORK/out/app.tar" ] && skopeo inspect "oci-archive:$WORK/out/app.tar" >/dev/null 2>&1 ||
  bad "-o type=oci,dest=app.tar is not an OCI archive"
(cd "$WORK/out" && "$MDOCK" build -q -t outs -o type=oci,tar=false,dest=layout ctx >/dev/null) &&
  skopeo inspect "oci:$WORK/out/layout" >/dev/null 2>&1 || bad "-o type=oci,tar=false is not an OCI layout"
(cd "$WORK/out" && "$MDOCK" build -q -t outs -o type=docker,dest=- ctx 2>"$WORK/out/id" > "$WORK/out/d.tar") &&
  tar -tf "$WORK/out/d.tar" manifest.json >/dev/null 2>&1 && grep -q '^sha256:' "$WORK/out/id" ||
  bad "-o type=docker,dest=- is not a docker archive on stdout with the ID on stderr"
(cd "$WORK/out" && "$MDOCK" build -q -o type=local,dest=- ctx >/dev/null 2>&1); [ $? -eq 2 ] ||
  bad "-o type=local,dest=- is not a usage error"

echo "docker compat: $fail failed"
[ $fail -eq 0 ]
