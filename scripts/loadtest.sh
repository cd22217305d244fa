#!/usr/bin/env bash
# make loadtest: the production stack on loopback — gunicorn (4 workers) + PostgreSQL + Redis + a Celery
# worker — with data at SCALE (default L), and locust (headless, 50 users, 2 minutes) against it.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-L}
USERS=${USERS:-50}
DURATION=${DURATION:-2m}
PORT=${PORT:-8765}
OUT=var/loadtest
mkdir -p "$OUT"

if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  source scripts/services.sh 55442 56389
fi
export DEBUG=0 SECRET_KEY=loadtest-only-secret-key-not-for-production-0123456789 ALLOWED_HOSTS=127.0.0.1
export AUDIT_HMAC_KEY=loadtest-only-audit-key-not-for-production-0123456789 AUDIT_ANCHOR_DIR="$OUT/audit-anchors"
# Plain HTTP on loopback: no TLS redirect and no Secure-only cookies for this run.
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0

.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py load_gazette >/dev/null
.venv/bin/python manage.py bench_seed --scale "$SCALE" --if-empty
# bench_urls opens the pages through the test client, whose host is "testserver".
ALLOWED_HOSTS=127.0.0.1,testserver .venv/bin/python manage.py bench_urls --second-factor-codes "$OUT/codes.json" > "$OUT/urls.json"

.venv/bin/gunicorn config.wsgi --preload -w 4 -b "127.0.0.1:$PORT" --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
.venv/bin/celery -A config worker -l warning --concurrency=1 >"$OUT/celery.log" 2>&1 &
CELERY=$!
cleanup() { kill "$GUNICORN" "$CELERY" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'cleanup; type services_stop >/dev/null 2>&1 && services_stop' EXIT
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break; sleep 1; done

LOADTEST_URLS="$OUT/urls.json" LOADTEST_CODES="$OUT/codes.json" .venv/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r 5 -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary
.venv/bin/python bench/loadtest_report.py "$OUT/locust_stats.csv"
