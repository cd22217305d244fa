"""Synthetic, clearly marked data for benchmarks and the load test (``bench_seed``).

Scale S ≈ one real year; L = 100 × S (ten years). Rows are bulk-inserted through the apps' own models; names
carry the prefix 【压测】 so nobody mistakes them for real records. Synthetic bulk rows get no history rows.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from orgs.demo import create_user
from orgs.models import Membership, Organization, OrganizationKind
from orgs.roles import Role

BENCH_PASSWORD = "Bench-2020-pass"  # noqa: S105  # nosec B105 - synthetic benchmark accounts only
MARK = "【压测】"
BATCH = 5_000

# key -> (role, organization)
BENCH_USERS = {
    "admin": (Role.ADMIN, "双鸭山市人民政府办公室"),
    "leader": (Role.LEADER, "双鸭山市人民政府办公室"),
    "reader": (Role.LEADER, "双鸭山市人民政府办公室"),
    "fgw_clerk": (Role.FGW_CLERK, "市发展改革委"),
    "reporter": (Role.REPORTER, "宝清县"),
    "business_office": (Role.BUSINESS_OFFICE, "市委市政府优化营商环境领导小组办公室"),
    "assessor": (Role.ASSESSOR, "市经合局"),
    "market": (Role.MARKET, "宝清县市场监督管理局"),
}


@dataclass(frozen=True)
class Scale:
    years: int
    projects: int  # awards projects, spread over ``years``
    investment_projects: int
    officers: int
    subjects: int
    ledger: int
    cases: int


# S ≈ one real year; L = 100 × S over ten years; T is a tiny scale for the test suite.
SCALES = {
    "T": Scale(years=2, projects=40, investment_projects=20, officers=6, subjects=30, ledger=60, cases=20),
    "S": Scale(
        years=1,
        projects=1_000,
        investment_projects=1_000,
        officers=100,
        subjects=5_000,
        ledger=20_000,
        cases=2_000,
    ),
    "L": Scale(
        years=10,
        projects=100_000,
        investment_projects=100_000,
        officers=2_000,
        subjects=500_000,
        ledger=2_000_000,
        cases=200_000,
    ),
}
LAST_YEAR = 2025


def bench_user(key: str):
    """The bench account ``key``, created once (hashing its password is deliberately slow)."""
    existing = get_user_model().objects.filter(username=f"bench_{key}", membership__isnull=False).first()
    if existing is not None:
        return existing
    return create_bench_user(key, *BENCH_USERS[key])


def create_bench_user(key: str, role: str, org_name: str):
    """A new bench account ``bench_<key>`` with ``role`` in the organization ``org_name``."""
    return create_user(
        f"bench_{key}",
        role=role,
        organization=Organization.objects.get(name=org_name),
        name=f"{MARK}{role}",
        password=BENCH_PASSWORD,
    )


def bench_admin():
    """The 系统管理员: the Django admin's pages only (administrators do no business)."""
    return bench_user("admin")


def bench_reader():
    """领导 (reads every row) holding every business role as well, so that one account opens every page of
    the four systems with all their rows: the worst case of each page. Synthetic benchmark data only."""
    from django.contrib.auth.models import Group

    from orgs.roles import BUSINESS_ROLES

    user = bench_user("reader")
    user.groups.add(*[Group.objects.get_or_create(name=role)[0] for role in sorted(BUSINESS_ROLES)])
    return get_user_model().objects.get(pk=user.pk)


def is_seeded() -> bool:
    from chiefservice.models import ServedSubject

    return ServedSubject.objects.filter(name__startswith=MARK).exists()


def _batched(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(model, rows: Iterable, size: int = BATCH) -> int:
    """Bulk-inserts ``rows`` (unsaved instances) in batches without keeping them in memory; returns the count.

    On PostgreSQL the rows go through ``COPY … FROM STDIN`` (several times faster than INSERT for millions of
    rows); elsewhere through ``bulk_create``.
    """
    if connection.vendor == "postgresql":
        return _copy(model, rows)
    total = 0
    for batch in _batched(rows, size):
        model.objects.bulk_create(batch, batch_size=size)
        total += len(batch)
    return total


def _copy(model, rows: Iterable) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    auto_now = {
        f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    attnames = [f.attname for f in fields]
    total = 0
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608  # nosec B608 - names from the model's own meta
        ) as copy,
    ):
        for obj in rows:
            values = obj.__dict__
            copy.write_row(
                [
                    now
                    if name in auto_now
                    else (
                        json.dumps(v, ensure_ascii=False) if isinstance(v := values[name], dict | list) else v
                    )
                    for name in attnames
                ]
            )
            total += 1
    return total


def _years(scale: Scale) -> list[int]:
    return list(range(LAST_YEAR - scale.years + 1, LAST_YEAR + 1))


def seed_users() -> int:
    """The bench accounts, and one 【压测】 填报员 per organization (one password hash for all)."""
    for key in BENCH_USERS:
        bench_user(key)
    user_model = get_user_model()
    password = make_password(BENCH_PASSWORD)
    organizations = list(Organization.objects.order_by("pk"))
    existing = set(
        user_model.objects.filter(username__startswith="bench_org_").values_list("username", flat=True)
    )
    new = [
        user_model(username=f"bench_org_{o.pk}", first_name=f"{MARK}{o.name}", password=password)
        for o in organizations
        if f"bench_org_{o.pk}" not in existing
    ]
    user_model.objects.bulk_create(new, batch_size=BATCH)
    users = {u.username: u for u in user_model.objects.filter(username__startswith="bench_org_")}
    Membership.objects.bulk_create(
        [Membership(user=users[f"bench_org_{o.pk}"], organization=o) for o in organizations],
        ignore_conflicts=True,
    )
    group = Group.objects.get_or_create(name=Role.REPORTER)[0]
    through = user_model.groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=group.pk) for u in users.values()], ignore_conflicts=True
    )
    return len(new)


def seed_awards(scale: Scale, start: int = 0) -> int:
    from awards.models import Category, IndustrialTarget, Project, Verification

    entities = list(Organization.objects.filter(award_group__isnull=False).order_by("pk"))
    years = _years(scale)
    per_year = scale.projects // len(years)
    categories = [Category.PROV, Category.CITY, Category.IND]

    def projects():
        for year in years:
            for i in range(start, start + per_year):
                started = i % 4 != 0
                yield Project(
                    year=year,
                    name=f"{MARK}项目{year}-{i:06d}",
                    category=categories[i % 3],
                    entity=entities[i % len(entities)],
                    single=i % 11 == 0,
                    planned_investment=Decimal(1000 + (i * 37) % 90000),
                    actual_investment=Decimal((i * 53) % 60000) if started else Decimal(0),
                    started=started,
                    completed=started and i % 9 == 0,
                    total_investment=Decimal(5000 + i) if i % 3 == 2 else None,
                    # as 发改委经办 verified them, the 入统 figure the declared one: each year is computable
                    verification=Verification.VERIFIED,
                    in_statistics=True,
                    statistics_investment=Decimal((i * 53) % 60000) if started else Decimal(0),
                )

    count = _insert(Project, projects())
    IndustrialTarget.objects.bulk_create(
        [
            IndustrialTarget(year=y, entity=e, target_count=10 + n, target_amount=Decimal(50000))
            for y in years
            for n, e in enumerate(entities)
        ],
        ignore_conflicts=True,
    )
    return count


def seed_investment(scale: Scale, start: int = 0) -> int:
    from investment.models import Project

    units = list(Organization.objects.filter(kind=OrganizationKind.COUNTY).order_by("pk"))
    years = _years(scale)
    per_year = scale.investment_projects // len(years)

    def projects():
        for year in years:
            for i in range(start, start + per_year):
                foreign = i % 5 == 0
                yield Project(
                    organization=units[i % len(units)],
                    year=year,
                    name=f"{MARK}招商项目{year}-{i:06d}",
                    investor=f"{MARK}投资方{i % 997}",
                    source="foreign" if foreign else "domestic",
                    signed_on=date(year, 1 + i % 12, 1 + i % 28),
                    contract_wan=Decimal(1000 + (i * 37) % 90000),
                    is_leading=i % 3 != 0,
                    started_on=date(year, 1 + i % 12, 1 + (i + 1) % 28) if i % 2 else None,
                    received_foreign_musd=Decimal((i * 7) % 700) if foreign else Decimal(0),
                    received_domestic_wan=Decimal(0) if foreign else Decimal((i * 53) % 40000),
                )

    return _insert(Project, projects())


def credit_code(n: int) -> str:
    from chiefservice import rules

    body = f"91230000{n:08d}"
    body += rules.organization_code_check_character(body[8:])
    return body + rules.credit_code_check_character(body)


def seed_chiefservice(scale: Scale, start: int = 0) -> dict[str, int]:
    from chiefservice import rules
    from chiefservice.models import Assignment, LedgerEntry, Officer, ServedSubject

    counties = list(Organization.objects.filter(kind=OrganizationKind.COUNTY).order_by("pk"))
    units = list(Organization.objects.filter(award_group__isnull=False).order_by("pk")) or counties
    reporter = bench_user("reporter")
    officers = Officer.objects.bulk_create(
        [
            Officer(
                name=f"{MARK}服务员{i:05d}",
                unit=units[i % len(units)],
                role=rules.LIAISON,
                rank="section",
                phone="0469-0000000",
            )
            for i in range(scale.officers)
        ],
        batch_size=BATCH,
    )
    officer_ids = [o.pk for o in officers]
    officer_units = [o.unit_id for o in officers]
    first_day = date(LAST_YEAR - scale.years + 1, 1, 1)
    span = 365 * scale.years

    def subjects():
        for i in range(start, start + scale.subjects):
            county = counties[i % len(counties)]
            yield ServedSubject(
                name=f"{MARK}企业{i:07d}",
                kind="enterprise",
                credit_code=credit_code(i),
                district=county,
                registered_by=county,
                assigned_on=first_day + timedelta(days=i % span),
                has_officer=bool((i - start) % 4),  # the subjects given an assignment below
            )

    last_pk = ServedSubject.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    subject_count = _insert(ServedSubject, subjects())
    subject_ids = list(
        ServedSubject.objects.filter(name__startswith=MARK, pk__gt=last_pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    def assignments():
        for i, subject_id in enumerate(subject_ids):
            if i % 4:
                yield Assignment(
                    officer_id=officer_ids[i % len(officer_ids)],
                    subject_id=subject_id,
                    mode=rules.ONE_TO_MANY,
                    start_on=first_day + timedelta(days=i % span),
                )

    assignment_count = _insert(Assignment, assignments())
    today = date.today()
    recent = today - timedelta(days=90)

    def entries():
        n_officers, n_subjects = len(officer_ids), len(subject_ids)
        for i in range(scale.ledger):
            received = first_day + timedelta(days=(i * 7) % span)
            # Most requests close within weeks; a few old ones stay open (carried over month after month).
            still_open = i % 3 == 0 and (received >= recent or i % 97 == 0)
            closed = None if still_open else received + timedelta(days=i % 45)
            k = i % n_officers
            yield LedgerEntry(
                officer_id=officer_ids[k],
                subject_id=subject_ids[(i * 31) % n_subjects],
                received_on=received,
                kind="difficulty",
                description=f"{MARK}服务事项{i}",
                first_receiving_unit_id=officer_units[k],
                due_on=received + timedelta(days=30),
                closed_on=closed if closed is None or closed <= today else None,
                status="resolved" if closed is not None and closed <= today else "open",
                created_by=reporter,
            )

    ledger_count = _insert(LedgerEntry, entries())
    return {
        "officers": len(officers),
        "subjects": subject_count,
        "assignments": assignment_count,
        "ledger": ledger_count,
    }


def seed_sprouts(scale: Scale, start: int = 0) -> dict[str, int]:
    from sprouts.choices import Source, Stage, Status, Trigger
    from sprouts.models import Case, HandOver, RoutingDecision

    user = bench_user("market")
    counties = list(Organization.objects.filter(kind=OrganizationKind.COUNTY).order_by("pk"))
    offices = {o.district_id: o for o in Organization.objects.filter(sector="market", district__isnull=False)}
    counties = [c for c in counties if c.pk in offices]
    stages, sources = list(Stage.values), list(Source.values)
    first_day = date(LAST_YEAR - scale.years + 1, 1, 1)
    span = 365 * scale.years

    def cases():
        for i in range(start, start + scale.cases):
            county = counties[i % len(counties)]
            closed = i % 3 == 0
            yield Case(
                number=f"YC{i:09d}",
                source=sources[i % len(sources)],
                stage=stages[i % len(stages)],
                district=county,
                business_name=f"{MARK}豆芽经营者{i:06d}",
                found_on=first_day + timedelta(days=(i * 11) % span),
                reported_by_office=offices[county.pk],
                reported_by=user,
                lead_sector="market",
                lead_office=offices[county.pk],
                status=Status.CLOSED if closed else (Status.PENDING if i % 7 == 0 else Status.HANDLING),
                outcome="penalized" if closed else "",
            )

    last_pk = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    count = _insert(Case, cases())
    rows = Case.objects.filter(business_name__startswith=MARK, pk__gt=last_pk).order_by("pk")
    # Read into memory first: on PostgreSQL the COPY below holds the connection, so no cursor may stay open.
    rows = list(rows.values_list("pk", "lead_office_id", "stage", "source", "district_id", "status"))

    def decisions():
        for pk, office_id, stage, source, district_id, _ in rows:
            yield RoutingDecision(
                case_id=pk,
                trigger=Trigger.INTAKE,
                lead_sector="market",
                lead_office_id=office_id,
                reasons=f"{MARK}按属地由市场监管部门牵头办理",
                facts={"stage": stage, "source": source, "district": district_id},
                decided_by=user,
            )

    decision_count = _insert(RoutingDecision, decisions())
    due = first_day + timedelta(days=span)

    def handovers():
        for pk, office_id, *_, status in rows:
            if status != Status.PENDING:
                continue
            yield HandOver(
                case_id=pk,
                from_office_id=office_id,
                to_office_id=office_id,
                reason=f"{MARK}移交",
                sent_by=user,
                due_on=due,
            )

    handover_count = _insert(HandOver, handovers())
    return {"cases": count, "decisions": decision_count, "handovers": handover_count}


def seed(scale_name: str, log: Callable[[str], None] = print, start: int = 0) -> dict[str, int]:
    """Seed ``scale_name``; ``start`` numbers the rows so a second round (tests) adds more, not duplicates."""
    scale = SCALES[scale_name]
    counts: dict[str, int] = {}
    steps = [
        ("users", seed_users),
        ("awards", lambda: seed_awards(scale, start)),
        ("investment", lambda: seed_investment(scale, start)),
        ("chiefservice", lambda: seed_chiefservice(scale, start)),
        ("sprouts", lambda: seed_sprouts(scale, start)),
    ]
    for name, step in steps:
        began = time.perf_counter()
        with transaction.atomic():
            result = step()
        counts.update(result if isinstance(result, dict) else {name: result})
        log(f"{name}: {result} ({time.perf_counter() - began:.1f} s)")
    if connection.vendor == "postgresql":
        # Millions of rows arrived at once: plan the benchmark's queries on fresh statistics, not on the
        # empty tables autovacuum last saw, and mark the pages all-visible so index-only scans need not
        # visit the table (autovacuum would get there, but minutes later). VACUUM cannot run inside a
        # transaction (a test's): there, statistics only.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement)
        log(f"{statement.lower()}: ({time.perf_counter() - began:.1f} s)")
    return counts
