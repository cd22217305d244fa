# Sourced by .ci/run and scripts/loadtest.sh: starts a private PostgreSQL and Redis on loopback (installing
# them from Debian when missing), exports DATABASE_URL and REDIS_URL, and stops both on exit.
# Usage: source scripts/services.sh [pg-port] [redis-port]
# With SERVICES_FOR_TESTS=1 (CI's test pass) PostgreSQL does not wait for the disk: fsync, synchronous_commit
# and full_page_writes off, as for a database thrown away after the run; never for the load test's numbers.

SERVICES_PGPORT=${1:-55432}
SERVICES_REDISPORT=${2:-56379}
export DEBIAN_FRONTEND=noninteractive
if ! command -v redis-server >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq postgresql redis-server >/dev/null
fi

SERVICES_PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
SERVICES_DIR=$(mktemp -d)
chown postgres "$SERVICES_DIR"

services_stop() {
  su postgres -c "$SERVICES_PGBIN/pg_ctl -D $SERVICES_DIR/pg -m immediate stop" >/dev/null 2>&1 || true
  redis-cli -p "$SERVICES_REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$SERVICES_DIR"
}
trap services_stop EXIT

su postgres -c "$SERVICES_PGBIN/initdb -D $SERVICES_DIR/pg -A trust -E UTF8 --locale=C.UTF-8 >/dev/null"
SERVICES_PGOPTS="-p $SERVICES_PGPORT -k $SERVICES_DIR -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_connections=200"
if [ "${SERVICES_FOR_TESTS:-0}" = 1 ]; then
  SERVICES_PGOPTS="$SERVICES_PGOPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
su postgres -c "$SERVICES_PGBIN/pg_ctl -D $SERVICES_DIR/pg -o '$SERVICES_PGOPTS' -l $SERVICES_DIR/pg.log -w start >/dev/null"
su postgres -c "$SERVICES_PGBIN/createdb -h 127.0.0.1 -p $SERVICES_PGPORT platform"
redis-server --port "$SERVICES_REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$SERVICES_PGPORT/platform"
export REDIS_URL="redis://127.0.0.1:$SERVICES_REDISPORT/0"
