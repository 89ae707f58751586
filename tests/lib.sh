# lib.sh - what the integration scripts share (sourced, not run).

# tree_listing DIR: one line per entry, path first (sorted): mode, owner,
# size for files, target for links.
tree_listing() {
  (cd "$1" && find . -mindepth 1 \( -type f -printf '%p %M %U:%G %s\n' \) \
     -o \( -type l -printf '%p %M %U:%G -> %l\n' \) \
     -o -printf '%p %M %U:%G\n' | LC_ALL=C sort)
}

# busybox_context DIR: the context of the busybox image the RUN cases build
# on -- busybox-static and its applets, root and nobody, a sticky /tmp --
# with its Dockerfile (no network needed).
busybox_context() {
  mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root"
  chmod 1777 "$1/tmp"
  cp /bin/busybox "$1/bin/busybox"
  for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -s busybox "$1/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$1/etc/group"
  printf 'FROM scratch\nCOPY . /\nCMD ["sh"]\n' > "$1/Dockerfile"
  printf 'Dockerfile\n' > "$1/.dockerignore"
}

# subid_user NAME START: an ordinary user NAME (made when missing) with
# subordinate IDs START..START+65535, what a rootless build maps (useradd
# gives a range where login.defs says so; else one is added)
subid_user() {
  id "$1" >/dev/null 2>&1 || useradd -m -s /bin/sh "$1"
  grep -q "^$1:" /etc/subuid || usermod --add-subuids "$2-$(($2 + 65535))" "$1"
  grep -q "^$1:" /etc/subgid || usermod --add-subgids "$2-$(($2 + 65535))" "$1"
}

# base_context DIR [busybox]: the context of the base image the
# testdata/build cases build on (base-image:test): a merged-/usr layout
# with a passwd and a group file, and busybox-static in /usr/bin when asked
# (empty directories cannot live in git, so it is made here).
base_context() {
  mkdir -p "$1/usr/bin" "$1/usr/lib" "$1/etc"
  ln -s usr/bin "$1/bin"
  ln -s usr/lib "$1/lib"
  echo "base 1" > "$1/etc/base-release"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' > "$1/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\nstaff:x:50:\n' > "$1/etc/group"
  [ "${2:-}" = busybox ] && [ -x /bin/busybox ] && cp /bin/busybox "$1/usr/bin/busybox"
  printf 'FROM scratch\nCOPY . /\nENV PATH=/usr/local/bin:/usr/bin:/bin\nCMD ["sh"]\n' > "$1/Dockerfile"
  printf 'Dockerfile\n' > "$1/.dockerignore"
}

# free_port BASE: the first port from BASE up (kept below the kernel's
# ephemeral range) that nothing on 127.0.0.1 listens on (curl cannot
# connect: exit 7), so that two suites, or a leftover server, do not
# collide on a port derived from a process id.
free_port() {
  # below the kernel's ephemeral range: a port in it can be taken as the
  # local end of any outgoing connection between this check and the bind
  # (a registry once failed with "address already in use" that way)
  _lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  _p=$1
  [ "$_p" -lt "$_lo" ] || _p=$((10000 + _p % (_lo - 10000)))
  while :; do
    [ "$_p" -lt "$_lo" ] || _p=10000
    curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$_p/"
    [ $? -eq 7 ] && break
    _p=$((_p + 1))
  done
  echo "$_p"
}

# start_registry DIR PORT [HTPASSWD]: Debian's docker-registry on
# 127.0.0.1:PORT keeping its blobs in DIR/data (behind Basic auth when an
# htpasswd file is given); returns once it answers, with its pid in RP
# (the caller kills it), or 1 with its log when it does not start.
start_registry() {
  mkdir -p "$1/data"
  {
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n'
    printf '    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%s\n' "$1" "$2"
    if [ -n "${3:-}" ]; then
      printf 'auth:\n  htpasswd:\n    realm: mdock-test\n    path: %s\n' "$3"
    fi
  } > "$1/config.yml"
  docker-registry serve "$1/config.yml" >"$1/registry.log" 2>&1 &
  RP=$!
  _tries=0
  while [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/v2/")" = 000 ]; do
    _tries=$((_tries + 1))
    if [ $_tries -gt 50 ]; then
      echo "registry did not start: $(cat "$1/registry.log")"
      return 1
    fi
    sleep 0.1
  done
}

# kill_at SECONDS COMMAND...: runs COMMAND in the background and kill -9s
# it after SECONDS; KILLED is 1 when it was still running, else 0.  A shell
# wrapper must exec the program, or the kill stops only the shell.
kill_at() {
  _d=$1
  shift
  "$@" >/dev/null 2>&1 &
  _pid=$!
  sleep "$_d"
  KILLED=0
  kill -9 $_pid 2>/dev/null && KILLED=1
  wait $_pid 2>/dev/null
}

# seeded_delays N MAX SEED: N delays from SEED, uniform over [0, MAX] s.
seeded_delays() {
  awk -v n="$1" -v m="$2" -v s="$3" 'BEGIN { srand(s); for(i = 0; i < n; i++) printf "%.3f\n", rand() * m }'
}

# corpus_or_skip SUITE CORPUS: true when the conformance corpus is there;
# otherwise one loud SKIPPED line naming the path -- and, under CI=true,
# exit 1 (a CI run must not pass without it).
corpus_or_skip() {
  [ -d "$2" ] && return 0
  if [ "${CI:-}" = true ]; then
    echo "$1: FAILED: the conformance corpus is not at $2 (CI=true)" >&2
    exit 1
  fi
  echo "SKIPPED: $1: the conformance corpus is not at $2 (set MDK_CORPUS to its path)"
  return 1
}

# start_dockerd DIR: a private dockerd (Debian's docker.io: BuildKit inside)
# with no networking of its own, its data, exec root and socket under DIR;
# sets D to the docker command that talks to it.  Returns 1 with its log
# when it does not answer within 30 s.  stop_dockerd DIR stops it and
# unmounts what it left.
start_dockerd() {
  if ! command -v dockerd >/dev/null; then
    echo "dockerd is missing (tools/deps.sh installs docker.io)"
    return 1
  fi
  D="/usr/bin/docker -H unix://$1/docker.sock"
  dockerd --iptables=false --ip-masq=false --bridge=none --data-root "$1/data" \
    --exec-root "$1/exec" -H "unix://$1/docker.sock" --pidfile "$1/docker.pid" \
    > "$1/dockerd.log" 2>&1 &
  _i=0
  until $D version >/dev/null 2>&1; do
    _i=$((_i + 1))
    if [ $_i -gt 150 ]; then
      echo "dockerd did not start: $(tail -5 "$1/dockerd.log")"
      return 1
    fi
    sleep 0.2
  done
}
stop_dockerd() {
  [ -f "$1/docker.pid" ] && kill "$(cat "$1/docker.pid")" 2>/dev/null
  _i=0
  while [ -f "$1/docker.pid" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
  umount -R "$1/data" 2>/dev/null
  return 0
}

# image_tree ARCHIVE OUT [FILTER]: the files of an image saved as a
# docker-archive, unpacked by umoci from skopeo's OCI copy (no mdock code
# involved), one line each, sorted: path, mode, owner, then size and a
# content hash for a file, the target for a link.  FILTER, a shell command,
# is applied to the content of the small files that start with "uid=" (what
# `id` wrote) before they are measured.  Uses $WORK; 1 when it cannot
# unpack.
image_tree() {
  rm -rf "$WORK/it-oci" "$WORK/it-un"
  mkdir -p "$WORK/it-un"
  skopeo copy -q "docker-archive:$1" "oci:$WORK/it-oci:x" >/dev/null 2>"$WORK/it.log" &&
    umoci raw unpack --image "$WORK/it-oci:x" "$WORK/it-un/rootfs" >/dev/null 2>>"$WORK/it.log" || return 1
  (
    cd "$WORK/it-un/rootfs" || exit 1
    # every file's hash, in one pass ("HASH  PATH")
    find . -mindepth 1 -type f -print0 | xargs -0 -r sha256sum > "$WORK/it-sums"
    : > "$WORK/it-over"
    if [ -n "${3:-}" ]; then
      find . -mindepth 1 -type f -size -4k -print0 | xargs -0 -r grep -l '^uid=' 2>/dev/null |
        while IFS= read -r f; do
          sh -c "$3" < "$f" > "$WORK/it-norm"
          printf '%s\t%s %s\n' "$f" "$(wc -c < "$WORK/it-norm")" "$(sha256sum < "$WORK/it-norm" | cut -c1-16)"
        done > "$WORK/it-over"
    fi
    find . -mindepth 1 \( -type f -printf 'f %p %M %U:%G %s\n' \) \
      -o \( -type l -printf 'l %p %M %U:%G -> %l\n' \) -o -printf 'd %p %M %U:%G\n' |
      awk -v sums="$WORK/it-sums" -v over="$WORK/it-over" '
        BEGIN {
          while((getline l < sums) > 0) h[substr(l, 67)] = substr(l, 1, 16)
          while((getline l < over) > 0) { split(l, x, "\t"); o[x[1]] = x[2] }
        }
        $1 == "f" { line = substr($0, 3); sub(/ [0-9]+$/, "", line)
                    p = line; sub(/ [^ ]+ [^ ]+$/, "", p)   # the path: spaces allowed
                    if(p in o) print line, o[p]; else print line, $NF, h[p]; next }
        { print substr($0, 3) }' | LC_ALL=C sort
  ) > "$2"
  rm -rf "$WORK/it-oci" "$WORK/it-un" "$WORK/it-sums" "$WORK/it-over" "$WORK/it-norm"
}

# image_history ARCHIVE OUT: "created_by|comment|layer or empty" per
# history entry, oldest first, from a saved image's config.  Uses $WORK.
image_history() {
  rm -rf "$WORK/ih" && mkdir -p "$WORK/ih"
  tar -x -C "$WORK/ih" -f "$1" manifest.json &&
    tar -x -C "$WORK/ih" -f "$1" "$(jq -r '.[0].Config' "$WORK/ih/manifest.json")" &&
    jq -r '.history[] | "\(.created_by)|\(.comment // "")|\(if .empty_layer then "empty" else "layer" end)"' \
      < "$WORK/ih/$(jq -r '.[0].Config' "$WORK/ih/manifest.json")" > "$2"
}

# bk_history_norm D_HIST M_HIST D_OUT M_OUT: dockerd 20.10's history (from
# image_history) and mdock's, put in one form for diff: N2 and N3 of
# tests/differential_buildkit.sh (the list of 20.10's differences from
# current BuildKit, with the reasons).  Uses $WORK.
bk_history_norm() {
  sed -e 's/ --chown=[^ ]*//; s/ --chmod=[^ ]*//' \
      -e 's/^\(ARG [A-Za-z_][A-Za-z0-9_]*\)=[^|]*|/\1|/' \
      -e 's/^\(HEALTHCHECK\|EXPOSE\) .*|\(.*\)|\(.*\)$/\1 ...|\2|\3/' "$2" > "$4"
  sed -e 's/^\(ARG [A-Za-z_][A-Za-z0-9_]*\)=[^|]*|/\1|/' \
      -e 's/^\(HEALTHCHECK\|EXPOSE\) .*|\(.*\)|\(.*\)$/\1 ...|\2|\3/' "$1" > "$WORK/bkh-d"
  # a step that changed nothing: a layer in 20.10, an empty_layer entry now
  awk -F'|' 'NR == FNR { m[FNR] = $0; n = FNR; next }
             { d = $0; if(FNR in m) { split(m[FNR], x, "|")
                 if(x[3] == "empty" && $3 == "layer" && x[1] == $1)
                   sub(/\|layer$/, "|empty", d) }
               print d }' "$4" "$WORK/bkh-d" > "$3"
}
