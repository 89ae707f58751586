#!/bin/bash
set -e
chown -R app /data
exec gosu app "$@"
