#!/bin/sh
echo "$GREETING from $(id -un) in $(pwd) on busybox $(busybox | head -1 | cut -d' ' -f2)"
exec "$@"
