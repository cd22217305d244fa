"""The drill's payments (make ha-drill): 市财政局 pays allocation lines through the service the payment page
calls, and writes down every payment acknowledged (committed) to it, so the drill can look for each of them
in the database that survives.

  python scripts/ha_payments.py prepare               award years with a 市政府批复 and lines still to pay
  python scripts/ha_payments.py pay ACKS [--count N]  pay lines one after another, logging acknowledged ones
  python scripts/ha_payments.py check ACKS            every acknowledged payment is in the database
  python scripts/ha_payments.py paid LINE             prints 1 when LINE is paid, else 0
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
import django.utils.timezone  # noqa: E402

django.setup()

from tests.awards.factories import after_the_year, today_at  # noqa: E402

# The awards' time rules judge dates against Beijing's today: the drill's years are past events then.
django.utils.timezone.localdate = today_at(after_the_year(2037))

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import close_old_connections, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from awards import services  # noqa: E402
from awards.models import Allocation, AllocationLine  # noqa: E402
from orgs.demo import create_user  # noqa: E402
from orgs.failover import TRANSIENT  # noqa: E402
from orgs.models import Organization  # noqa: E402
from orgs.roles import Role  # noqa: E402

YEARS = range(2030, 2038)  # the suite's award years; "today" is set after the last of them (below)
PASSWORD = "Drill-2020-pass"  # noqa: S105 - the drill's own accounts on a throw-away database


def user(username, role, organization):
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username=username).first()
    return found or create_user(
        username, role=role, organization=Organization.objects.get(name=organization), password=PASSWORD
    )


def prepare() -> None:
    from tests.awards.factories import seen, workflow_year

    clerk = user("drill_clerk", Role.FGW_CLERK, "市发展改革委")
    approver = user("drill_approver", Role.FGW_APPROVER, "市发展改革委")
    city = user("drill_city", Role.CITY_OFFICE, "双鸭山市人民政府办公室")
    for year in YEARS:
        if Allocation.objects.filter(year=year).exists():
            continue
        draft = workflow_year(year, by=clerk)
        submitted = services.allocation_submit(allocation=draft, by=clerk, version=seen(draft))
        approved = services.allocation_approve(allocation=submitted, by=approver, version=seen(submitted))
        services.allocation_record_city_approval(
            allocation=approved,
            by=city,
            document_no=f"双政批〔{year + 1}〕1号",
            document_date=datetime.date(year + 1, 1, 5),
            version=seen(approved),
        )
    print(AllocationLine.objects.filter(allocation__year__in=YEARS, disbursed_on__isnull=True).count())


def pay(acks: Path, count: int, pause: float) -> None:
    finance = user("drill_finance", Role.FINANCE, "市财政局")
    done = 0
    with acks.open("a", encoding="utf-8") as log:
        while done < count:
            try:
                line = (
                    AllocationLine.objects.filter(allocation__year__in=YEARS, disbursed_on__isnull=True)
                    .select_related("allocation")
                    .order_by("pk")
                    .first()
                )
                if line is None:
                    break
                services.line_disburse(
                    line=line,
                    by=finance,
                    paid_on=datetime.date(line.allocation.year + 1, 2, 1),
                    voucher_no=f"DRILL-{line.pk}",
                )
            except TRANSIENT as exc:
                # Not acknowledged: the user saw the retry page. The connection is dropped and the
                # next attempt looks for the line afresh (paid or not, by the database's word).
                print(f"{timezone.now():%H:%M:%S.%f} retry: {type(exc).__name__}", flush=True)
                connections.close_all()
                time.sleep(0.2)
                continue
            except ValidationError as exc:
                print(f"refused {line.pk}: {exc.messages}", flush=True)
                continue
            log.write(f"{line.pk} {timezone.now().isoformat()}\n")
            log.flush()
            os.fsync(log.fileno())
            done += 1
            close_old_connections()
            time.sleep(pause)
    print(done)


def check(acks: Path) -> None:
    acknowledged = [int(row.split()[0]) for row in acks.read_text().splitlines() if row.strip()]
    paid = set(
        AllocationLine.objects.filter(pk__in=acknowledged, disbursed_on__isnull=False).values_list(
            "pk", flat=True
        )
    )
    lost = [pk for pk in acknowledged if pk not in paid]
    print(f"acknowledged={len(acknowledged)} present={len(paid)} lost={len(lost)} {lost if lost else ''}")
    sys.exit(1 if lost else 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["prepare", "pay", "check", "paid"])
    parser.add_argument("target", nargs="?")
    parser.add_argument("--count", type=int, default=10**6)
    parser.add_argument("--pause", type=float, default=0.2)
    args = parser.parse_args()
    if args.what == "prepare":
        prepare()
    elif args.what == "pay":
        pay(Path(args.target), args.count, args.pause)
    elif args.what == "check":
        check(Path(args.target))
    else:
        print(int(AllocationLine.objects.filter(pk=int(args.target), disbursed_on__isnull=False).exists()))


if __name__ == "__main__":
    main()
