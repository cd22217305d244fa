"""Demo rows for development and demonstration, every one marked 【演示】; a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from orgs import discovery
from orgs.models import Organization

from . import rules, services
from .models import (
    AgendaItem,
    Assignment,
    LedgerEntry,
    LedgerLog,
    LedgerStatus,
    Meeting,
    NewsArticle,
    Officer,
    SatisfactionSurvey,
    ServedSubject,
)

MARK = "【演示】"


def _code(n: int) -> str:
    organization = f"MA1D{n:04d}"
    body = f"91230523{organization}{rules.organization_code_check_character(organization)}"
    return body + rules.credit_code_check_character(body)


@discovery.demo
def load() -> dict[str, int]:
    today = timezone.localdate()
    baoqing = Organization.objects.get(name="宝清县")
    housing = Organization.objects.get(name="市住房城乡建设局")
    market = Organization.objects.get(name="宝清县市场监督管理局")
    office = Organization.objects.get(name="市委市政府优化营商环境领导小组办公室")
    users = get_user_model().objects
    reporter = users.filter(username="tianbao").first()
    business = users.filter(username="yingshang").first()
    if reporter is None or business is None:
        return {"chiefservice_skipped": 1}

    def officer(name, unit, role, rank, phone):
        return Officer.objects.get_or_create(
            name=MARK + name, unit=unit, defaults={"role": role, "rank": rank, "phone": phone}
        )[0]

    chief = officer("王建国", baoqing, rules.CHIEF, "division", "0469-5221001")
    liaison = officer("李晓梅", baoqing, rules.LIAISON, "section", "0469-5221002")
    city_chief = officer("陈志远", housing, rules.CHIEF, "deputy_division", "0469-4221001")
    market_liaison = officer("赵丽", market, rules.LIAISON, "deputy_section", "0469-5221003")

    def subject(n, name, kind="enterprise", **flags):
        return ServedSubject.objects.get_or_create(
            name=MARK + name,
            defaults={
                "kind": kind,
                "credit_code": "" if kind == "prospective" else _code(n),
                "district": baoqing,
                "grid": "城区第一网格",
                "registered_by": baoqing if kind != "prospective" else office,
                **flags,
            },
        )[0]

    rice = subject(1, "宝清县金穗米业有限公司", is_city_key=True)
    project = subject(2, "宝清县绿能生物质发电项目有限公司", is_provincial_top100=True)
    shop = subject(3, "宝清县城关镇百姓超市", kind="individual")
    investor = subject(
        4,
        "黑龙江北垦新材料（拟投资）",
        kind="prospective",
        contract_signed_on=today - timedelta(days=20),
        assignment_due_on=today - timedelta(days=5),
    )
    # 第九条: the 市重点规上企业 and the 省百大项目 are served by a 专班 led by the chief, the liaison assisting.
    for officer_, subject_, mode in (
        (chief, rice, rules.TASK_FORCE),
        (liaison, rice, rules.TASK_FORCE),
        (chief, project, rules.TASK_FORCE),
        (market_liaison, shop, rules.ONE_TO_MANY),
    ):
        Assignment.objects.get_or_create(
            officer=officer_,
            subject=subject_,
            defaults={"mode": mode, "start_on": today - timedelta(days=60)},
        )
    services.coverage_refresh([rice.pk, project.pk, shop.pk])

    def entry(description, officer_, subject_, status, days_ago, **extra):
        found, created = LedgerEntry.objects.get_or_create(
            description=MARK + description,
            defaults={
                "officer": officer_,
                "subject": subject_,
                "received_on": today - timedelta(days=days_ago),
                "kind": "difficulty",
                "first_receiving_unit": officer_.unit,
                "due_on": today - timedelta(days=days_ago) + timedelta(days=rules.LEDGER_DEFAULT_DAYS),
                "status": status,
                "created_by": reporter,
                **extra,
            },
        )
        if created:
            LedgerLog.objects.create(
                entry=found, by=reporter, from_status="open", to_status=status, note="演示数据"
            )
        return found

    entry("企业反映烘干塔用电增容手续慢", liaison, rice, LedgerStatus.IN_PROGRESS, 40)
    escalated = entry("发电项目并网接入需市级协调", chief, project, LedgerStatus.ESCALATED, 12)
    entry(
        "超市申请食品经营许可证延续",
        market_liaison,
        shop,
        LedgerStatus.RESOLVED,
        25,
        resolution="已帮办延续",
        closed_on=today - timedelta(days=20),
        satisfaction=rules.SATISFIED,
    )
    meeting, _ = Meeting.objects.get_or_create(
        title=MARK + "首席服务员季度例会",
        defaults={"kind": "regular", "held_on": today - timedelta(days=3), "created_by": business},
    )
    AgendaItem.objects.get_or_create(
        meeting=meeting, entry=escalated, defaults={"topic": escalated.description}
    )
    year, quarter = rules.quarter_of(today)
    NewsArticle.objects.get_or_create(
        officer=chief,  # 第二十四条: each chief's quarterly article
        year=year,
        quarter=quarter,
        defaults={
            "title": MARK + "“企业吹哨、服务报到”助力米业扩产",
            "submitted_on": today,
            "created_by": reporter,
        },
    )
    SatisfactionSurvey.objects.get_or_create(
        officer=liaison,
        subject=rice,
        surveyed_on=today - timedelta(days=7),
        defaults={"method": "questionnaire", "answer": rules.SATISFIED, "created_by": business},
    )
    return {
        "chiefservice_officers": Officer.objects.filter(name__startswith=MARK).count(),
        "chiefservice_subjects": ServedSubject.objects.filter(name__startswith=MARK).count(),
        "chiefservice_investor_pending": int(investor.assigned_on is None),
        "chiefservice_city_chief": int(city_chief.pk is not None),
    }
