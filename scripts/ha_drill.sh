#!/usr/bin/env bash
# make ha-drill: the failure drill on the scripts/ha.sh topology (loopback only, bounded: every wait has a
# limit, and make runs the whole under a 600 s timeout). While locust browses through HAProxy, a 填报员 uploads
# a 佐证材料 through node A and reads it back through node B, node A is SIGKILLed, the PostgreSQL primary is
# killed during a run of payments by 市财政局 (through the pages) and the standby promoted, and Redis restarts.
# Then it checks the outcome and a point-in-time restore between two payments, prints RPO and RTO and writes
# them to docs/performance.md and docs/deployment.md. Every user action goes over HTTP (scripts/ha_client.py).
set -euo pipefail
source "$(dirname "$0")/ha.sh"
OUT=$HA_VAR/drill
PY=$ROOT/.venv/bin/python
CLIENT="$PY $ROOT/scripts/ha_client.py"
LB=http://127.0.0.1:$HA_LB
DURATION=${DURATION:-240}  # an upper bound: locust is stopped once the failures are over
START=$(date +%s)
PIDS=()
# Only what this script started: its own background jobs by their recorded ids, then the topology's.
STARTED=0
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ "$STARTED" = 1 ] || tail -n 40 "$HA_VAR.start.log" 2>/dev/null
  ha_stop
}
trap cleanup EXIT
say() { printf '[%3ds] %s\n' "$(($(date +%s) - START))" "$*"; }
wait_pid() {  # $1 pid, $2 seconds: wait for a background job, at most that long
  timeout "$2" tail --pid="$1" -f /dev/null || true
}
psql2() { psql_at "$HA_PG2" "$1"; }
export PGCONNECT_TIMEOUT=5

say "启动双节点拓扑"
# Not inside an "||": there bash would ignore a failing step of ha_start (set -e is off in such a context).
mkdir -p "$(dirname "$HA_VAR")"
ha_start >"$HA_VAR.start.log" 2>&1
STARTED=1
SETUP_SECONDS=$(($(date +%s) - START))
SETUP_DATA=$(grep -q '种子数据已缓存' "$HA_VAR.start.log" && echo "data built anew" || echo "data restored from the cached dump")
grep -h '种子数据已缓存' "$HA_VAR.start.log" || true
mkdir -p "$OUT"
# The seed's second-factor codes are valid again in every restored copy; each run uses a fresh copy.
cp "$HA_SEED/codes.json" "$OUT/codes.json"
export LOADTEST_CODES=$OUT/codes.json
say "拓扑就绪（数据来自 $(basename "$HA_SEED")）"

PROJECT=$(psql_at "$HA_PG1" "SELECT p.id FROM investment_project p JOIN orgs_organization o ON o.id = p.organization_id
  WHERE o.name = '宝清县' ORDER BY p.year DESC, p.id LIMIT 1")
psql_at "$HA_PG1" "SELECT l.id, a.year, l.entity_id FROM awards_allocationline l
  JOIN awards_allocation a ON a.id = l.allocation_id
  WHERE l.disbursed_on IS NULL AND NOT l.disqualified AND l.final_amount > 0
    AND a.year BETWEEN $HA_PAY_FIRST AND $HA_PAY_LAST ORDER BY a.year, l.id" |
  tr '|' ' ' >"$OUT/lines"
head -n -2 "$OUT/lines" | head -n 30 >"$OUT/lines-failover"
tail -n 2 "$OUT/lines" | head -n 1 >"$OUT/line-pitr-1"
tail -n 1 "$OUT/lines" >"$OUT/line-pitr-2"
say "待拨付 $(wc -l <"$OUT/lines") 笔；佐证材料上传到投资项目 $PROJECT"

$CLIENT probe "$LB" "$OUT/probe.log" --until $((START + 560)) >"$OUT/probe.out" 2>&1 &
PROBE=$!
PIDS+=("$PROBE")
LOADTEST_URLS="$HA_SEED/urls.json" timeout $((DURATION + 30)) \
  "$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless -u 10 -r 5 -t "${DURATION}s" \
  --host "$LB" --csv "$OUT/locust" --only-summary >"$OUT/locust.log" 2>&1 &
LOCUST=$!
PIDS+=("$LOCUST")
sleep 5

say "节点 A（:$HA_NODE_A）上传佐证材料，经节点 B（:$HA_NODE_B）下载"
printf '%%PDF-1.4\n%% drill evidence %s\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' "$START" >"$OUT/evidence.pdf"
EVIDENCE=$(timeout 60 $CLIENT upload "http://127.0.0.1:$HA_NODE_A" "$PROJECT" "$OUT/evidence.pdf")
BYTES=$(timeout 60 $CLIENT download "http://127.0.0.1:$HA_NODE_B" "$EVIDENCE" "$OUT/evidence.pdf")
say "节点 B 读到节点 A 存入的佐证材料 $EVIDENCE（$BYTES 字节，内容一致）"

say "SIGKILL 节点 A"
echo "nodeA $(date +%s.%N)" >"$OUT/events"
ha_kill_group "$HA_VAR/node-a/gunicorn.pid"
ha_kill_group "$HA_VAR/node-a/celery.pid"
sleep 8

say "市财政局经负载均衡逐笔拨付，其间杀掉 PostgreSQL 主库并提升备库"
timeout 150 $CLIENT pay "$LB" "$OUT/lines-failover" "$OUT/acks" --paid-on "$HA_PAID_ON" --pause 0.2 \
  >"$OUT/payments.log" 2>&1 &
PAYER=$!
touch "$OUT/acks" "$OUT/pitr-acks"
PIDS+=("$PAYER")
for _ in $(seq 1 120); do
  [ "$(wc -l <"$OUT/acks")" -ge 3 ] && break
  kill -0 "$PAYER" 2>/dev/null || break
  sleep 0.5
done
echo "pg-kill $(date +%s.%N)" >>"$OUT/events"
pg pg_ctl -D "$HA_VAR/pg1" -m immediate stop >/dev/null
# Promoted once a payment has met the dead primary (its user got the retry page), so that the drill always
# has a payment caught by the switch; at most 15 s later in any case.
for _ in $(seq 1 150); do
  grep -q 'retry page' "$OUT/payments.log" && break
  kill -0 "$PAYER" 2>/dev/null || break
  sleep 0.1
done
# The standby becomes the primary; until a new standby is built it commits without waiting for one.
pg pg_ctl -D "$HA_VAR/pg2" -w -t 60 promote >/dev/null
psql2 "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
psql2 "SELECT pg_reload_conf()" >/dev/null
echo "pg-promoted $(date +%s.%N)" >>"$OUT/events"
say "备库已提升（主库被杀后 $(awk '/pg-kill/{k=$2} /pg-promoted/{p=$2} END{printf "%.1f", p-k}' "$OUT/events") 秒）"
wait_pid "$PAYER" 150
say "拨付：$(grep -c acknowledged "$OUT/payments.log" || true) 笔页面确认，$(grep -c 'retry page' "$OUT/payments.log" || true) 次重试页，$(grep -c ' other ' "$OUT/payments.log" || true) 次其他结果"

say "重启 Redis"
echo "redis-stop $(date +%s.%N)" >>"$OUT/events"
redis-cli -p "$HA_REDIS" shutdown >/dev/null 2>&1 || true
sleep 2
ha_redis_start
echo "redis-up $(date +%s.%N)" >>"$OUT/events"

say "时间点恢复的准备：新主库的基础备份，然后两笔拨付，中间取一个时刻"
ha_base_backup "$HA_PG2" >/dev/null 2>&1
timeout 60 $CLIENT pay "$LB" "$OUT/line-pitr-1" "$OUT/pitr-acks" --paid-on "$HA_PAID_ON" >>"$OUT/payments.log" 2>&1 || true
sleep 1.1
# A whole second after the first payment was confirmed, and more than one before the second is made.
PITR_TO=$(TZ=Asia/Shanghai date '+%Y-%m-%d %H:%M:%S')
sleep 1.1
timeout 60 $CLIENT pay "$LB" "$OUT/line-pitr-2" "$OUT/pitr-acks" --paid-on "$HA_PAID_ON" >>"$OUT/payments.log" 2>&1 || true
SEGMENT=$(psql2 "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 60); do
  [ -f "$HA_VAR/wal-archive/$SEGMENT" ] && break
  sleep 0.5
done

# The failures are over: locust stops (SIGTERM: it writes its statistics and exits), and so does the probe.
kill -TERM "$LOCUST" 2>/dev/null || true
wait_pid "$LOCUST" 30
kill "$PROBE" 2>/dev/null || true

say "检查"
FAIL=0
ACKED=$(cut -d' ' -f1 "$OUT/acks" | paste -sd, -)
PRESENT=$(psql2 "SELECT count(*) FROM awards_allocationline WHERE id IN (${ACKED:-0}) AND disbursed_on IS NOT NULL")
ACK_COUNT=$(wc -l <"$OUT/acks")
LOST=$((ACK_COUNT - PRESENT))
echo "页面确认的拨付 $ACK_COUNT 笔，提升后的数据库中 $PRESENT 笔，丢失 $LOST 笔"
[ "$ACK_COUNT" -gt 3 ] && [ "$LOST" = 0 ] || FAIL=1
OTHER_PAYMENTS=$(grep -c ' other ' "$OUT/payments.log" || true)
echo "拨付中重试页 $(grep -c 'retry page' "$OUT/payments.log" || true) 次，其他结果 $OTHER_PAYMENTS 次"
grep ' other ' "$OUT/payments.log" || true
[ "$OTHER_PAYMENTS" = 0 ] || FAIL=1
grep -q 'retry page' "$OUT/payments.log" || { echo "没有一笔拨付遇到切换（重试页）"; FAIL=1; }
timeout 120 $PY manage.py audit_verify || FAIL=1
timeout 120 $PY manage.py awards_money_check || FAIL=1
timeout 120 $PY manage.py shell --no-imports -c "
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
names = {r for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, models.FileField)
         for r in m._default_manager.exclude(**{f.attname: ''}).values_list(f.attname, flat=True)}
unreadable = sorted(n for n in names if not default_storage.open(n).read(1))
print(f'存储中的文件 {len(names)} 个，不可读 {len(unreadable)} 个', unreadable or '')
raise SystemExit(1 if unreadable or not names else 0)" || FAIL=1

# Locust: every failure must be the retry page (503).
$PY - "$OUT" <<'EOF' || FAIL=1
import csv, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/locust_failures.csv", encoding="utf-8")))
other = [r for r in rows if "503" not in r["Error"]]
total = sum(int(r["Occurrences"]) for r in rows)
stats = {r["Name"]: r for r in csv.DictReader(open(f"{out}/locust_stats.csv", encoding="utf-8"))}
agg = stats.get("Aggregated", {})
print(f"locust：请求 {agg.get('Request Count')} 次，失败 {total} 次"
      f"（重试页 503：{total - sum(int(r['Occurrences']) for r in other)}，其他：{len(other)} 种）")
for r in other:
    print("  其他失败：", r["Method"], r["Name"], r["Error"], r["Occurrences"])
sys.exit(1 if other or not agg.get("Request Count") else 0)
EOF

# RTO: per failure, from the moment it was caused to the first 200 the probe saw afterwards; every answer
# other than 200 must be the retry page.
read -r RTO_NODE RTO_PG RTO_REDIS BAD_PROBES PROBES < <($PY - "$OUT" <<'EOF'
import sys
out = sys.argv[1]
probes = [(float(f[0]), int(f[1]), f[2] == "1") for f in (line.split() for line in open(f"{out}/probe.log"))]
events = {k: float(v) for k, v in (line.split() for line in open(f"{out}/events"))}
def outage(start, end):
    """From ``start`` (the failure) to the first 200 after the last other answer before ``end`` (the next
    failure); 0 when every answer in between was a 200."""
    failed = [t for t, code, _ in probes if start <= t <= end and code != 200]
    if not failed:
        return 0.0
    back = [t for t, code, _ in probes if t > failed[-1] and code == 200]
    return (back[0] if back else end) - start
node = outage(events["nodeA"], events["pg-kill"])
pg = outage(events["pg-kill"], events["redis-stop"])
# The payer sees the database switch too, between the probe's steps: from the kill to the first page it was
# served after its last retry page.
from datetime import datetime
steps = [(datetime.fromisoformat(f[0]).timestamp(), " ".join(f[2:])) for f in
         (line.split() for line in open(f"{out}/payments.log")) if len(f) > 2]
window = [(t, what) for t, what in steps if events["pg-kill"] <= t <= events["redis-stop"]]
retries = [t for t, what in window if what.startswith("retry page")]
if retries:
    served = [t for t, what in window if t > retries[-1] and what in ("submit", "acknowledged")]
    pg = max(pg, (served[0] if served else events["redis-stop"]) - events["pg-kill"])
redis = outage(events["redis-stop"], events["redis-up"] + 20)
bad = sum(1 for _, code, retry in probes if code != 200 and not (code == 503 and retry))
print(f"{node:.1f} {pg:.1f} {redis:.1f} {bad} {len(probes)}")
EOF
)
echo "探测 $PROBES 次，非 200 且不是重试页的 $BAD_PROBES 次"
[ "$BAD_PROBES" = 0 ] && [ "$PROBES" -gt 100 ] || FAIL=1

say "时间点恢复到 $PITR_TO（北京时间，第一笔之后、第二笔之前）"
FIRST=$(cut -d' ' -f1 "$OUT/line-pitr-1")
SECOND=$(cut -d' ' -f1 "$OUT/line-pitr-2")
[ "$(wc -l <"$OUT/pitr-acks")" = 2 ] || { echo "两笔拨付未都得到页面确认"; FAIL=1; }
PITR_START=$(date +%s)
timeout 200 $PY manage.py pitr_restore --base "$HA_VAR/base" --wal "$HA_VAR/wal-archive" --to "$PITR_TO" \
  --target "$HA_VAR/pitr" --port 55599 --keep || FAIL=1
PITR_SECONDS=$(($(date +%s) - PITR_START))
paid() { psql_at 55599 "SELECT count(*) FROM awards_allocationline WHERE id = $1 AND disbursed_on IS NOT NULL" 2>/dev/null || echo '?'; }
P1=$(paid "$FIRST")
P2=$(paid "$SECOND")
say "恢复库中：第一笔（明细 $FIRST）已拨付=$P1，第二笔（明细 $SECOND）已拨付=$P2"
[ "$P1" = 1 ] && [ "$P2" = 0 ] || FAIL=1

TOTAL=$(($(date +%s) - START))
RESULT=$([ "$FAIL" = 0 ] && echo 通过 || echo 未通过)
SUMMARY="拓扑启动 ${SETUP_SECONDS} 秒；RPO：页面确认的拨付 ${ACK_COUNT} 笔，丢失 ${LOST} 笔；RTO（用户无服务的秒数）：节点 A 被杀 ${RTO_NODE} 秒，主库被杀到备库提升后恢复 ${RTO_PG} 秒，Redis 重启 ${RTO_REDIS} 秒；时间点恢复 ${PITR_SECONDS} 秒；演练共 ${TOTAL} 秒；结果：${RESULT}"
say "$SUMMARY"
if [ "$FAIL" = 0 ]; then
  $PY - "$(date '+%Y-%m-%d')" "$ACK_COUNT" "$LOST" "$RTO_NODE" "$RTO_PG" "$RTO_REDIS" "$PITR_SECONDS" "$TOTAL" \
    "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "$SETUP_SECONDS" "$SETUP_DATA" <<'EOF'
import re, sys
from pathlib import Path
day, acked, lost, node, pg, redis, pitr, total, cores, load, setup, data = sys.argv[1:]
section = (
    "## Failover drill (make ha-drill)\n\n"
    f"Last passing run {day} on {cores} shared cores (load average {load} at the end), every figure measured by the\n"
    "drill itself (`scripts/ha_drill.sh`): locust with 10 users through HAProxy the whole time, a probe opening\n"
    "the home page as a logged-in user every 0.2 s (an RTO is known to that step; for the database, the\n"
    "payer's own retry pages count as well).\n\n"
    "| Failure | RPO (acknowledged rows lost) | RTO (seconds without service) |\n"
    "|---|---|---|\n"
    f"| web node A, SIGKILL | 0 | {node} |\n"
    f"| PostgreSQL primary killed during payments, standby promoted | {lost} of {acked} payments | {pg} |\n"
    f"| Redis restart | 0 | {redis} |\n\n"
    f"Point-in-time restore (base backup + WAL, to a second between two payments): {pitr} s. Whole drill: {total} s,\n"
    f"of which {setup} s to start the topology ({data}).\n"
)
doc = Path("docs/performance.md")
text = doc.read_text(encoding="utf-8")
if "## Failover drill (make ha-drill)" in text:
    text = re.sub(r"## Failover drill \(make ha-drill\)\n.*?(?=\n## |\Z)", lambda m: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section
doc.write_text(text, encoding="utf-8")
deployment = Path("docs/deployment.md")
rows = deployment.read_text(encoding="utf-8").splitlines()
figures = {"| a web node (SIGKILL) |": node, "| the database primary |": pg, "| Redis restart |": redis}
for i, row in enumerate(rows):
    for start, seconds in figures.items():
        if row.startswith(start):
            cells = row.split(" | ")
            cells[2] = f"{seconds} s ({day})"
            rows[i] = " | ".join(cells)
deployment.write_text("\n".join(rows) + "\n", encoding="utf-8")
EOF
fi
exit "$FAIL"
