#!/bin/sh
# manpage.sh MDOCK - writes mdock(1) to stdout from the binary's own help:
# the command table and every command's --help (usage, options, examples)
# come from the option tables, so the page cannot drift from the program.
set -eu
M=$1
ver=$("$M" version 2>/dev/null | head -1 | sed 's/^mdock //')
# roff: a leading dot or quote would be a request, backslashes escapes
esc() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
cat <<HEAD
.TH MDOCK 1 "" "mdock $ver" "User Commands"
.SH NAME
mdock \\- a daemonless, Dockerfile-compatible image builder
.SH SYNOPSIS
.B mdock
.I command
.RI [ options ]
.SH DESCRIPTION
mdock reads Dockerfiles (and Modal-style dockerfile_commands lists) as
BuildKit does, builds them into OCI images in a local store without a
daemon, caches every layer by its key, and runs, tags, saves, pushes and
pulls those images with docker's command line.
.PP
Building runs RUN steps in namespaces of their own and, today, needs
root; parsing, linting, printing the IR and the image verbs do not.
.SH COMMANDS
.nf
HEAD
"$M" --help | sed -n '/^commands:/,/^$/p' | sed 1d | esc
echo ".fi"
for c in $("$M" --help | sed -n '/^commands:/,/^$/p' | sed 1d | awk '{print $1}'); do
  echo ".SH \"MDOCK $(echo "$c" | tr a-z A-Z)\""
  echo ".nf"
  "$M" "$c" --help | esc
  echo ".fi"
done
cat <<'TAIL'
.SH ENVIRONMENT
.TP
.B MDOCK_ROOT
the store (default /var/lib/mdock for root)
.TP
.B SOURCE_DATE_EPOCH
the time recorded in images; clamps file times, so the same input gives
the same digests
.TP
.B NO_COLOR
no colour in diagnostics and no live progress view
.SH EXIT STATUS
0 success; 1 the input or the operation failed; 2 a usage error;
mdock run: the command's own status, 125 an mdock error, 126 not
executable, 127 not found.
.SH SEE ALSO
.BR docker-build (1),
.BR buildah-bud (1),
.BR hadolint (1)
TAIL
