#!/bin/sh
if [ "$1" = serve ]; then
  exec python -m app
fi
exec "$@"
