#!/bin/bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1:${KEEL_PG_PORT:-55432}, trust auth, user postgres, as root.
# Needs: apt-get install -y postgresql. Stop with pg-down.sh.
set -euo pipefail
D=${KEEL_PG_DIR:-/tmp/keel-pg}
PORT=${KEEL_PG_PORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
rm -rf "$D"; mkdir -p "$D"; chown postgres "$D"
# initdb refuses to run as root. C locale: byte-order collation everywhere, as on SQLite.
su postgres -c "$BIN/initdb -D $D/data -U postgres --auth=trust -E UTF8 --locale=C" >"$D.init.log"
# fsync stays on: the crash tests rely on acknowledged writes being durable.
su postgres -c "$BIN/pg_ctl -D $D/data -l $D/log -w start -o \"-p $PORT -k $D -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB\""
echo "Host=127.0.0.1;Port=$PORT;Username=postgres"
