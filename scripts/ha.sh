#!/usr/bin/env bash
# The redundant topology on loopback (docs/deployment.md): two gunicorn nodes with their own working folders
# behind HAProxy, a PostgreSQL primary with a synchronous streaming hot standby and WAL archiving, Redis,
# one Celery worker per node and exactly one beat (on node B), and moto's S3 server as the object store.
# Installs haproxy, postgresql and redis-server from Debian when missing.
#   bash scripts/ha.sh            start everything and wait (Ctrl-C stops it)
#   source scripts/ha.sh          only define the ha_* functions (scripts/ha_drill.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

HA_VAR=${HA_VAR:-$ROOT/var/ha}
HA_PG1=${HA_PG1:-55501} HA_PG2=${HA_PG2:-55502} HA_REDIS=${HA_REDIS:-56501} HA_S3=${HA_S3:-59501}
HA_LB=${HA_LB:-58000} HA_NODE_A=${HA_NODE_A:-58001} HA_NODE_B=${HA_NODE_B:-58002}
HA_BUCKET=platform
HA_DB=platform

export DEBIAN_FRONTEND=noninteractive
if ! command -v haproxy >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1 \
  || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq haproxy postgresql redis-server >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# The environment both nodes, their workers and the beat share: the engines, never each other's disk.
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 LOG_LEVEL=WARNING
export SECRET_KEY=ha-drill-only-secret-key-not-for-production-0123456789
export AUDIT_HMAC_KEY=ha-drill-only-audit-key-not-for-production-0123456789
export AUDIT_ANCHOR_DIR=$HA_VAR/anchors
export DATABASE_URL="postgres://postgres@127.0.0.1:$HA_PG1,127.0.0.1:$HA_PG2/$HA_DB?target_session_attrs=read-write&connect_timeout=2"
export DB_CONN_MAX_AGE=60
export REDIS_URL="redis://127.0.0.1:$HA_REDIS/0"
export STORAGE_URL="http://127.0.0.1:$HA_S3/$HA_BUCKET" STORAGE_ACCESS_KEY=ha-key STORAGE_SECRET_KEY=ha-secret

pg() { runuser -u postgres -- "$PGBIN/$1" "${@:2}"; }
psql_at() { "$PGBIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "${3:-$HA_DB}" -Atc "$2"; }

ha_pg_start() {  # $1 data folder: start one PostgreSQL server
  pg pg_ctl -D "$1" -l "$1.log" -w -t 60 start >/dev/null
}

ha_primary_init() {
  mkdir -p "$HA_VAR/wal-archive"
  chown postgres "$HA_VAR" "$HA_VAR/wal-archive"
  pg initdb -D "$HA_VAR/pg1" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Synchronous commit to the standby (a payment acknowledged is on both machines) and every WAL segment
  # archived (point-in-time recovery, docs/operations.md); the standby gets the same settings by the copy.
  cat >>"$HA_VAR/pg1/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $HA_PG1
unix_socket_directories = '$HA_VAR/pg1'
max_connections = 200
shared_buffers = 256MB
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
synchronous_commit = on
archive_mode = on
archive_command = 'test ! -f $HA_VAR/wal-archive/%f && cp %p $HA_VAR/wal-archive/%f'
archive_timeout = 30
EOF
  ha_pg_start "$HA_VAR/pg1"
  pg createdb -h 127.0.0.1 -p "$HA_PG1" "$HA_DB"
}

ha_standby_init() {  # the hot standby from a base backup of the primary, streaming synchronously
  pg pg_basebackup -h 127.0.0.1 -p "$HA_PG1" -U postgres -D "$HA_VAR/pg2" -X stream -R -c fast
  cat >>"$HA_VAR/pg2/postgresql.auto.conf" <<EOF
port = $HA_PG2
unix_socket_directories = '$HA_VAR/pg2'
primary_conninfo = 'host=127.0.0.1 port=$HA_PG1 user=postgres application_name=standby'
EOF
  ha_pg_start "$HA_VAR/pg2"
  # Only now that the standby streams: from here a commit returns once the standby has it.
  psql_at "$HA_PG1" "ALTER SYSTEM SET synchronous_standby_names = 'standby'" postgres >/dev/null
  psql_at "$HA_PG1" "SELECT pg_reload_conf()" postgres >/dev/null
  for _ in $(seq 1 100); do
    [ "$(psql_at "$HA_PG1" "SELECT sync_state FROM pg_stat_replication" postgres)" = sync ] && return 0
    sleep 0.1
  done
  echo "备库未进入同步复制" >&2
  return 1
}

# The drill's data: the migrated schema, the gazette, the load test's small synthetic set (scale T) with its
# page plan and second-factor codes, and award years 2015-2018 approved by 市政府 and waiting for 市财政局 (not
# 2019: the gazette's own year, archived, whose money was paid before the platform and is never paid again).
# Built once and kept as a dump under var/ha-cache, keyed by everything that shapes it (the migrations, the
# seeding code, this script); a later run restores the dump in seconds instead of migrating and seeding again.
HA_CACHE_ROOT=${HA_CACHE_ROOT:-$ROOT/var/ha-cache}
HA_PAY_FIRST=2015 HA_PAY_LAST=2018
HA_PAY_YEARS=$HA_PAY_FIRST-$HA_PAY_LAST
HA_PAID_ON=$(TZ=Asia/Shanghai date +%F)  # paid today: after the 批复, which bench_payable dates today or earlier

ha_seed_key() {
  {
    git -C "$ROOT" ls-files -z -- '*/migrations/*.py' 'bench/*.py' 'orgs/gazette*' \
      'orgs/management/commands/load_gazette.py' 'awards/services/*.py' 'awards/statistics.py' | xargs -0 cat
    declare -f ha_seed
    echo "$HA_PAY_YEARS"
  } | sha256sum | cut -c1-16
}

ha_seed() {
  local cache key py="$ROOT/.venv/bin/python"
  key=$(ha_seed_key)
  cache="$HA_CACHE_ROOT/$key"
  if [ ! -f "$cache/platform.dump" ]; then
    rm -rf "$cache.tmp" && mkdir -p "$cache.tmp"
    "$py" manage.py migrate --noinput >/dev/null
    "$py" manage.py load_gazette >/dev/null
    "$py" manage.py bench_seed --scale T >/dev/null
    # bench_urls opens the pages through the test client, whose host is "testserver".
    ALLOWED_HOSTS=127.0.0.1,testserver "$py" manage.py bench_urls --second-factor-codes "$cache.tmp/codes.json" \
      >"$cache.tmp/urls.json"
    "$py" manage.py bench_payable --years "$HA_PAY_YEARS" \
      --second-factor-codes "$cache.tmp/codes.json" >/dev/null
    "$PGBIN/pg_dump" -h 127.0.0.1 -p "$HA_PG1" -U postgres -Fc -f "$cache.tmp/platform.dump" "$HA_DB"
    rm -rf "$cache" && mv "$cache.tmp" "$cache"
    echo "种子数据已缓存：$cache"
  else
    "$PGBIN/pg_restore" -h 127.0.0.1 -p "$HA_PG1" -U postgres -d "$HA_DB" --no-owner "$cache/platform.dump"
  fi
  HA_SEED=$cache
}

ha_base_backup() {  # the base backup point-in-time recovery starts from
  rm -rf "$HA_VAR/base"
  timeout 120 runuser -u postgres -- "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "${1:-$HA_PG1}" -U postgres \
    -D "$HA_VAR/base" -X stream -c fast
}

ha_redis_start() {
  mkdir -p "$HA_VAR/redis"
  # Append-only file: queued Celery tasks outlive a Redis restart.
  redis-server --port "$HA_REDIS" --bind 127.0.0.1 --dir "$HA_VAR/redis" --appendonly yes --save '' \
    --daemonize yes --pidfile "$HA_VAR/redis/redis.pid" --logfile "$HA_VAR/redis/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$HA_REDIS" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

ha_s3_start() {
  setsid "$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$HA_S3" >"$HA_VAR/s3.log" 2>&1 &
  echo $! >"$HA_VAR/s3.pid"
  disown $!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$HA_S3/" && break; sleep 0.1; done
  "$ROOT/.venv/bin/python" - <<EOF
import boto3
boto3.client("s3", endpoint_url="http://127.0.0.1:$HA_S3", region_name="us-east-1",
             aws_access_key_id="ha-key", aws_secret_access_key="ha-secret").create_bucket(Bucket="$HA_BUCKET")
EOF
}

ha_node_start() {  # $1 a|b, $2 port: gunicorn and a Celery worker, in the node's own working folder
  local node=$1 port=$2 dir="$HA_VAR/node-$1"
  mkdir -p "$dir/tmp"
  # Its own process group, so the drill can SIGKILL the whole node at once.
  (
    cd "$dir"
    export TMPDIR="$dir/tmp" MEDIA_ROOT="$dir/media"
    exec setsid "$ROOT/.venv/bin/gunicorn" --chdir "$ROOT" config.wsgi --preload -w 2 -b "127.0.0.1:$port" \
      --access-logfile "$dir/access.log" --access-logformat '%(t)s %(m)s %(U)s %(s)s' \
      --error-logfile "$dir/gunicorn.log" --timeout 30
  ) &
  echo $! >"$dir/gunicorn.pid"
  disown $!  # its death is the drill's doing, not news for the shell
  (
    cd "$ROOT"
    export TMPDIR="$dir/tmp" MEDIA_ROOT="$dir/media"
    exec setsid .venv/bin/celery -A config worker -n "node-$node@%h" -l warning --concurrency=1 \
      >"$dir/celery.log" 2>&1
  ) &
  echo $! >"$dir/celery.pid"
  disown $!
}

ha_beat_start() {  # exactly one beat, on node B
  (
    cd "$ROOT"
    exec setsid .venv/bin/celery -A config beat -l warning -s "$HA_VAR/node-b/celerybeat-schedule" \
      >"$HA_VAR/node-b/beat.log" 2>&1
  ) &
  echo $! >"$HA_VAR/node-b/beat.pid"
}

ha_lb_start() {
  local page="$HA_VAR/retry.http"
  # The balancer's own errors (no node up, a node dying mid-request) are the app's retry page too.
  {
    printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\nRetry-After: 5\r\n'
    printf 'Cache-Control: no-store\r\nConnection: close\r\n\r\n'
    "$ROOT/.venv/bin/python" -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); from orgs.failover import RETRY_PAGE; print(RETRY_PAGE)"
  } >"$page"
  cat >"$HA_VAR/haproxy.cfg" <<EOF
global
  maxconn 512
  pidfile $HA_VAR/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  option redispatch
  retries 2
  # A request no node received is sent again; so is a GET or HEAD whose node died before answering (it
  # changed nothing). Any other request a node may have processed never is: its user gets the retry page.
  retry-on conn-failure empty-response
  errorfile 502 $page
  errorfile 503 $page
  errorfile 504 $page
frontend web
  bind 127.0.0.1:$HA_LB
  default_backend nodes
backend nodes
  balance roundrobin
  http-request disable-l7-retry unless METH_GET || METH_HEAD
  option httpchk GET /accounts/login/
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
  server a 127.0.0.1:$HA_NODE_A check
  server b 127.0.0.1:$HA_NODE_B check
EOF
  haproxy -D -f "$HA_VAR/haproxy.cfg"
}

ha_wait_http() {  # $1 port
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$1/accounts/login/" && return 0; sleep 0.5; done
  echo "节点 127.0.0.1:$1 未能启动" >&2
  return 1
}

ha_kill_group() {  # $1 pid file: SIGKILL the process group it names
  [ -f "$1" ] && kill -9 -- "-$(cat "$1")" 2>/dev/null || true
}

ha_stop() {
  # Only what this shell's ha_start started (the pid files of an earlier run may name someone else's now).
  [ "${HA_STARTED:-0}" = 1 ] || return 0
  set +e
  [ -f "$HA_VAR/haproxy.pid" ] && kill "$(cat "$HA_VAR/haproxy.pid")" 2>/dev/null
  for node in a b; do
    for what in gunicorn celery beat; do
      [ -f "$HA_VAR/node-$node/$what.pid" ] && kill -- "-$(cat "$HA_VAR/node-$node/$what.pid")" 2>/dev/null
    done
  done
  ha_kill_group "$HA_VAR/s3.pid"
  redis-cli -p "$HA_REDIS" shutdown nosave >/dev/null 2>&1
  for data in pg1 pg2 pitr; do
    [ -d "$HA_VAR/$data" ] && pg pg_ctl -D "$HA_VAR/$data" -m immediate stop >/dev/null 2>&1
  done
  sleep 1
  set -e
}

ha_ports_free() {  # refuse to start over anything already listening: it is not ours to stop
  local port
  for port in "$HA_PG1" "$HA_PG2" "$HA_REDIS" "$HA_S3" "$HA_LB" "$HA_NODE_A" "$HA_NODE_B" 55599; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "端口 $port 已被占用（上一次运行未停止？）：请先停止占用它的进程。" >&2
      return 1
    fi
  done
}

ha_start() {
  ha_ports_free
  rm -rf "$HA_VAR"
  HA_STARTED=1
  mkdir -p "$HA_VAR/node-a" "$HA_VAR/node-b" "$AUDIT_ANCHOR_DIR"
  ha_primary_init
  ha_redis_start
  ha_s3_start
  # Seeded before the standby exists: its many commits then wait for no one.
  ha_seed
  ha_standby_init
  ha_base_backup
  ha_node_start a "$HA_NODE_A"
  ha_node_start b "$HA_NODE_B"
  ha_beat_start
  ha_wait_http "$HA_NODE_A"
  ha_wait_http "$HA_NODE_B"
  ha_lb_start
  ha_wait_http "$HA_LB"
  echo "平台（双节点）：http://127.0.0.1:$HA_LB/  节点 A :$HA_NODE_A  节点 B :$HA_NODE_B"
  echo "PostgreSQL 主库 :$HA_PG1  备库 :$HA_PG2（同步流复制）  Redis :$HA_REDIS  S3 :$HA_S3  WAL 归档 $HA_VAR/wal-archive"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  trap ha_stop EXIT
  ha_start
  echo "按 Ctrl-C 停止。"
  while sleep 3600; do :; done
fi
