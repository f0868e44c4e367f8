#!/bin/bash
# Stops the cluster pg-up.sh started and removes its files.
D=${KEEL_PG_DIR:-/tmp/keel-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -d "$D/data" ] && su postgres -c "$BIN/pg_ctl -D $D/data -m fast -w stop" >/dev/null 2>&1
rm -rf "$D" "$D.init.log"
exit 0
