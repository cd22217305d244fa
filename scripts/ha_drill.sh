#!/usr/bin/env bash
# make ha-drill: the failure drill on the scripts/ha.sh topology (loopback only, bounded: every wait has a
# limit and the whole run a deadline). While locust browses through HAProxy it stores a file from node A and
# reads it from node B, SIGKILLs node A, kills the PostgreSQL primary during a run of payments and promotes
# the standby, and restarts Redis; then it checks the outcome and a point-in-time restore, prints RPO and RTO
# and writes them to docs/performance.md.
set -euo pipefail
source "$(dirname "$0")/ha.sh"
OUT=$HA_VAR/drill
PY=$ROOT/.venv/bin/python
DURATION=${DURATION:-150}
START=$(date +%s)
export DRILL_DEADLINE=$((START + 540))
trap 'kill $(jobs -p) 2>/dev/null || true; ha_stop' EXIT
say() { printf '[%3ds] %s\n' "$(($(date +%s) - START))" "$*"; }

say "启动双节点拓扑"
ha_start >/dev/null
mkdir -p "$OUT"
ALLOWED_HOSTS=127.0.0.1,testserver $PY manage.py bench_urls --second-factor-codes "$OUT/codes.json" >"$OUT/urls.json"
say "准备拨付数据：$($PY scripts/ha_payments.py prepare) 笔待拨付"

# A probe through the balancer every 0.2 s: the time without a 200 is the outage the users see.
(
  while [ "$(date +%s)" -lt "$DRILL_DEADLINE" ]; do
    code=$(curl -s -o "$OUT/probe.body" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HA_LB/accounts/login/" || echo 000)
    retry=0; grep -q '请稍后重试' "$OUT/probe.body" 2>/dev/null && retry=1
    echo "$(date +%s.%N) $code $retry"
    sleep 0.2
  done
) >"$OUT/probe.log" &
PROBE=$!

LOADTEST_URLS="$OUT/urls.json" LOADTEST_CODES="$OUT/codes.json" timeout $((DURATION + 60)) \
  "$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless -u 10 -r 5 -t "${DURATION}s" \
  --host "http://127.0.0.1:$HA_LB" --csv "$OUT/locust" --only-summary >"$OUT/locust.log" 2>&1 &
LOCUST=$!
sleep 10

say "节点 A 存入文件，经节点 B 读取"
FILE_NAME=$(TMPDIR=$HA_VAR/node-a/tmp MEDIA_ROOT=$HA_VAR/node-a/media $PY manage.py shell --no-imports -c "
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
print(default_storage.save('drill/evidence.pdf', ContentFile(b'%PDF-1.4 drill evidence')))")
READ_BACK=$(TMPDIR=$HA_VAR/node-b/tmp MEDIA_ROOT=$HA_VAR/node-b/media $PY manage.py shell --no-imports -c "
from django.core.files.storage import default_storage
print(default_storage.open('$FILE_NAME').read().decode())")
[ "$READ_BACK" = "%PDF-1.4 drill evidence" ] && say "节点 B 读到节点 A 存入的 $FILE_NAME" || { say "节点 B 读不到文件"; exit 1; }

say "SIGKILL 节点 A"
echo "nodeA $(date +%s.%N)" >"$OUT/events"
ha_kill_group "$HA_VAR/node-a/gunicorn.pid"
ha_kill_group "$HA_VAR/node-a/celery.pid"
sleep 10

say "拨付进行中杀掉 PostgreSQL 主库并提升备库"
$PY scripts/ha_payments.py pay "$OUT/acks" --count 40 --pause 0.1 >"$OUT/payments.log" 2>&1 &
PAYER=$!
sleep 3
echo "pg-kill $(date +%s.%N)" >>"$OUT/events"
pg pg_ctl -D "$HA_VAR/pg1" -m immediate stop >/dev/null
# The standby becomes the primary; until a new standby is built it commits without waiting for one.
pg pg_ctl -D "$HA_VAR/pg2" -w promote >/dev/null
psql_at "$HA_PG2" "ALTER SYSTEM SET synchronous_standby_names = ''" postgres >/dev/null
psql_at "$HA_PG2" "SELECT pg_reload_conf()" postgres >/dev/null
echo "pg-promoted $(date +%s.%N)" >>"$OUT/events"
say "备库已提升"
timeout 120 tail --pid=$PAYER -f /dev/null || true
say "拨付：$(tail -n 1 "$OUT/payments.log") 笔已确认，$(grep -c retry "$OUT/payments.log" || true) 次重试页"

say "重启 Redis"
echo "redis-stop $(date +%s.%N)" >>"$OUT/events"
redis-cli -p "$HA_REDIS" shutdown >/dev/null 2>&1 || true
sleep 2
ha_redis_start
echo "redis-up $(date +%s.%N)" >>"$OUT/events"

say "PITR 用的两笔拨付，中间隔一个整分"
$PY scripts/ha_payments.py pay "$OUT/pitr-acks" --count 1 >/dev/null
sleep $((61 - $(date +%-S)))
PITR_MINUTE=$(date '+%Y-%m-%d %H:%M')
sleep 1
$PY scripts/ha_payments.py pay "$OUT/pitr-acks" --count 1 >/dev/null
psql_at "$HA_PG2" "SELECT pg_switch_wal()" >/dev/null
sleep 3

timeout $((DURATION + 60)) tail --pid=$LOCUST -f /dev/null || true
kill "$PROBE" 2>/dev/null || true

say "检查"
FAIL=0
$PY scripts/ha_payments.py check "$OUT/acks" | tee "$OUT/check.txt" || FAIL=1
$PY manage.py audit_verify || FAIL=1
$PY manage.py awards_money_check || FAIL=1
$PY manage.py shell --no-imports -c "
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
names = {r for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, models.FileField)
         for r in m._default_manager.exclude(**{f.attname: ''}).values_list(f.attname, flat=True)}
names.add('$FILE_NAME')
unreadable = [n for n in names if not default_storage.open(n).read(1)]
print(f'files={len(names)} unreadable={len(unreadable)}')
raise SystemExit(1 if unreadable else 0)" || FAIL=1

# Locust: every failure must be the retry page (503), in a switch window.
$PY - "$OUT" <<'EOF' || FAIL=1
import csv, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/locust_failures.csv", encoding="utf-8")))
other = [r for r in rows if "503" not in r["Error"]]
total = sum(int(r["Occurrences"]) for r in rows)
stats = {r["Name"]: r for r in csv.DictReader(open(f"{out}/locust_stats.csv", encoding="utf-8"))}
agg = stats.get("Aggregated", {})
print(f"locust: requests={agg.get('Request Count')} failures={total} "
      f"(503 retry page: {total - sum(int(r['Occurrences']) for r in other)}, other: {len(other)})")
for r in other:
    print("  other failure:", r["Method"], r["Name"], r["Error"], r["Occurrences"])
sys.exit(1 if other else 0)
EOF

# RTO: the longest run of probe answers other than 200 after each event; none may be an error page.
read -r RTO_NODE RTO_PG RTO_REDIS BAD_PROBES < <($PY - "$OUT" <<'EOF'
import sys
out = sys.argv[1]
probes = [(float(t), c, r == "1") for t, c, r in (l.split() for l in open(f"{out}/probe.log"))]
events = dict(l.split() for l in open(f"{out}/events"))
def outage(start, end):
    down, first = 0.0, None
    for t, code, _ in probes:
        if t < start or t > end:
            continue
        if code != "200":
            first = first if first is not None else t
        elif first is not None:
            down, first = max(down, t - first), None
    return down
node = outage(float(events["nodeA"]), float(events["pg-kill"]))
pg = outage(float(events["pg-kill"]), float(events["redis-stop"]))
redis = outage(float(events["redis-stop"]), float(events["redis-up"]) + 30)
bad = sum(1 for _, code, retry in probes if code != "200" and not retry)
print(f"{node:.1f} {pg:.1f} {redis:.1f} {bad}")
EOF
)
[ "$BAD_PROBES" = 0 ] || { say "探测到 $BAD_PROBES 次非重试页的错误"; FAIL=1; }
LOST=$(sed -n 's/.*lost=\([0-9]*\).*/\1/p' "$OUT/check.txt")

say "时间点恢复到 $PITR_MINUTE（第一笔之后、第二笔之前）"
FIRST=$(sed -n 1p "$OUT/pitr-acks" | cut -d' ' -f1)
SECOND=$(sed -n 2p "$OUT/pitr-acks" | cut -d' ' -f1)
PITR_START=$(date +%s)
$PY manage.py pitr_restore --base "$HA_VAR/base" --wal "$HA_VAR/wal-archive" --to "$PITR_MINUTE" \
  --target "$HA_VAR/pitr" --port 55599 --keep || FAIL=1
PITR_SECONDS=$(($(date +%s) - PITR_START))
P1=$(DATABASE_URL=postgres://postgres@127.0.0.1:55599/$HA_DB $PY scripts/ha_payments.py paid "$FIRST")
P2=$(DATABASE_URL=postgres://postgres@127.0.0.1:55599/$HA_DB $PY scripts/ha_payments.py paid "$SECOND")
say "恢复库中：第一笔（明细 $FIRST）已拨付=$P1，第二笔（明细 $SECOND）已拨付=$P2"
[ "$P1" = 1 ] && [ "$P2" = 0 ] || FAIL=1

TOTAL=$(($(date +%s) - START))
RESULT=$([ "$FAIL" = 0 ] && echo 通过 || echo 未通过)
SUMMARY="RPO（已确认的拨付丢失）：${LOST:-?} 笔；RTO：节点 A 被杀 ${RTO_NODE} 秒，主库被杀到备库提升 ${RTO_PG} 秒，Redis 重启 ${RTO_REDIS} 秒；时间点恢复 ${PITR_SECONDS} 秒；演练共 ${TOTAL} 秒，结果：${RESULT}"
say "$SUMMARY"
$PY - "$SUMMARY" "$(date '+%Y-%m-%d %H:%M')" <<'EOF'
import re, sys
from pathlib import Path
doc = Path("docs/performance.md")
text = doc.read_text(encoding="utf-8")
section = f"## Failover drill (make ha-drill)\n\nLast run {sys.argv[2]}: {sys.argv[1]}\n"
text = re.sub(r"## Failover drill \(make ha-drill\)\n.*?(?=\n## |\Z)", lambda m: section, text, flags=re.S)
if "## Failover drill (make ha-drill)" not in text:
    text = text.rstrip("\n") + "\n\n" + section
doc.write_text(text, encoding="utf-8")
EOF
exit "$FAIL"
