#!/bin/sh
# build_add_git.sh - ADD of a git repository against a real git server on
# loopback (git http-backend behind busybox httpd's CGI): a branch, an
# annotated tag and a commit check out the right tree (modes, a symlink, no
# .git), #ref:subdir takes a subdirectory, --keep-git-dir keeps .git at the
# commit, --checksum is enforced, an unknown ref fails at its line; the
# cache key is the resolved commit: an unchanged rebuild runs nothing, a
# moved branch rebuilds only its own step.
set -u
. "$(dirname "$0")/lib.sh"
MDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d /tmp/mdock-git.XXXXXX)
PORT=$(free_port $((21000 + $$ % 20000)))
HP=
trap '[ -n "$HP" ] && kill $HP 2>/dev/null; rm -rf "$WORK"' EXIT
export MDOCK_ROOT="$WORK/store"
export SOURCE_DATE_EPOCH=1700000000
fail=0
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
command -v git >/dev/null || { echo "build add git: git is missing (make deps)"; exit 1; }
BACKEND=$(git --exec-path)/git-http-backend
[ -x "$BACKEND" ] || { echo "build add git: $BACKEND is missing"; exit 1; }

# the repository: main with two commits, an annotated tag v1 at the first
g() { git -C "$WORK/work" -c user.name=t -c user.email=t@example.com "$@"; }
mkdir -p "$WORK/work" "$WORK/git" "$WORK/www/cgi-bin" "$WORK/c"
git init -q -b main "$WORK/work"
echo one > "$WORK/work/a.txt"
mkdir "$WORK/work/sub"
echo inside > "$WORK/work/sub/b.txt"
printf '#!/bin/sh\necho run\n' > "$WORK/work/run.sh"
chmod 0755 "$WORK/work/run.sh"
ln -s a.txt "$WORK/work/link"
g add -A && g commit -q -m first && g tag -a v1 -m v1
A=$(g rev-parse HEAD)
echo two > "$WORK/work/a.txt"
g commit -q -am second
B=$(g rev-parse HEAD)
git clone -q --bare "$WORK/work" "$WORK/git/repo.git"
cat > "$WORK/www/cgi-bin/git" <<EOF
#!/bin/sh
export GIT_PROJECT_ROOT=$WORK/git GIT_HTTP_EXPORT_ALL=1
exec $BACKEND
EOF
chmod 0755 "$WORK/www/cgi-bin/git"
busybox httpd -f -p "127.0.0.1:$PORT" -h "$WORK/www" 2>/dev/null &
HP=$!
U="http://127.0.0.1:$PORT/cgi-bin/git/repo.git"
i=0
until git ls-remote "$U" >/dev/null 2>&1; do
  i=$((i + 1))
  [ $i -gt 50 ] && { echo "build add git: the git server did not answer"; exit 1; }
  sleep 0.1
done

# build CTX [args]: "<name>: <status>" per step, from the JSON events
build() {
  (cd "$1" && shift && "$MDOCK" build --progress json "$@" . 2>&1 >/dev/null) |
    grep '^{' | jq -r 'select(.key != null and .status != null) | "\(.name): \(.status)"'
}
cat > "$WORK/c/Dockerfile" <<EOF
FROM scratch
ADD $U#v1 /tag
ADD $U#$A /commit/
ADD --checksum=$(echo "$A" | cut -c1-12) $U?ref=v1&subdir=sub /query/
ADD $U#main /branch/
ADD $U#main:sub /subdir/
ADD --keep-git-dir $U#main /kept/
EOF
out=$(build "$WORK/c" -t git:1)
[ "$(printf '%s\n' "$out" | grep -c ': done$')" = 6 ] || bad "first build: $out"
rm -rf "$WORK/root"
"$MDOCK" export git:1 --output "type=local,dest=$WORK/root" || bad "export"
R=$WORK/root
[ "$(cat "$R/branch/a.txt" 2>&1)" = two ] || bad "#main is not the branch's head"
[ "$(cat "$R/tag/a.txt" 2>&1)" = one ] || bad "#v1 (annotated tag) is not its commit"
[ "$(cat "$R/commit/a.txt" 2>&1)" = one ] || bad "#<commit> is not that commit"
[ "$(stat -c %a "$R/branch/run.sh" 2>&1) $(stat -c %a "$R/branch/a.txt" 2>&1)" = "755 644" ] ||
  bad "modes: $(stat -c '%n %a' "$R/branch/run.sh" "$R/branch/a.txt" 2>&1)"
[ "$(readlink "$R/branch/link")" = a.txt ] || bad "the symlink is not kept"
[ "$(stat -c %u:%g "$R/branch/a.txt")" = 0:0 ] || bad "owner: $(stat -c %u:%g "$R/branch/a.txt")"
[ -e "$R/branch/.git" ] && bad ".git kept without --keep-git-dir"
[ "$(ls "$R/subdir")" = b.txt ] || bad "#main:sub: $(ls "$R/subdir")"
[ "$(ls "$R/query")" = b.txt ] || bad "?ref=v1&subdir=sub: $(ls "$R/query")"
[ "$(git -C "$R/kept" rev-parse HEAD 2>&1)" = "$B" ] ||
  bad "--keep-git-dir: .git is not at $B: $(git -C "$R/kept" rev-parse HEAD 2>&1)"
[ "$(git -C "$R/kept" status --porcelain 2>&1)" = "" ] || bad "--keep-git-dir: the tree differs from .git"

# the key is the commit: nothing moved, nothing runs; main moves, the
# steps that name it run (and what follows them), the ones before do not
out=$(build "$WORK/c" -t git:1)
[ "$(printf '%s\n' "$out" | grep -c ': cached$')" = 6 ] || bad "unchanged rebuild: $out"
echo three > "$WORK/work/a.txt"
g commit -q -am third
git -C "$WORK/work" push -q "$WORK/git/repo.git" main
out=$(build "$WORK/c" -t git:2)
[ "$(printf '%s\n' "$out" | grep -c ': done$')" = 3 ] &&
  [ "$(printf '%s\n' "$out" | grep -c ': cached$')" = 3 ] || bad "after main moved: $out"
"$MDOCK" export git:2 --output "type=local,dest=$WORK/root2" || bad "export 2"
[ "$(cat "$WORK/root2/branch/a.txt" 2>&1)" = three ] || bad "the moved branch was not checked out again"

# a wrong --checksum and an unknown ref fail at their line
printf 'FROM scratch\nADD --checksum=%s %s#v1 /x/\n' "$B" "$U" > "$WORK/c/Dockerfile.sum"
(cd "$WORK/c" && "$MDOCK" build -q -f Dockerfile.sum . >/dev/null 2>"$WORK/err") &&
  bad "a wrong --checksum was accepted"
grep -q "Dockerfile.sum:2:1: error: expected checksum to match $B, got $A" "$WORK/err" ||
  bad "wrong checksum message: $(cat "$WORK/err")"
printf 'FROM scratch\nADD %s#no-such-branch /x/\n' "$U" > "$WORK/c/Dockerfile.ref"
(cd "$WORK/c" && "$MDOCK" build -q -f Dockerfile.ref . >/dev/null 2>"$WORK/err") &&
  bad "an unknown ref was accepted"
grep -q "Dockerfile.ref:2:1: error: .*no-such-branch names no branch or tag" "$WORK/err" ||
  bad "unknown ref message: $(cat "$WORK/err")"
echo "build add git: $fail failed"
[ $fail -eq 0 ]
