"""Routing of bean-sprout cases: the five clauses of 双政办规〔2020〕15号 applied to a case's facts.

Pure functions: rules (as plain values, loaded from the ``RoutingRule`` table by the caller) and facts in,
a decision plus its reasons out — no ORM, no request. The same function serves the intake form, the
``sprouts_route`` command and the tests, so what an administrator checks is what the form does.

The clauses (双政办规〔2020〕15号):
一  生产环节：市场监管部门联系农业行政主管部门 (市场监管 leads, 农业 cooperates).
二  市场流通和餐饮服务环节：市场监管部门.
三  农业在风险监测中发现的线索移交市场监管部门处理.
四  涉嫌生产、销售有毒有害豆芽犯罪及监管部门移交的案件：公安部门.
五  属地管理：案发县（区）的部门做好日常监管.
Priority: the smaller ``priority`` wins, except that a rule for a suspected crime always wins when the
facts say crime is suspected (第四条).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from .choices import SECTOR_LABELS, Outcome, Source, Stage

# 第一条: 由市场监管部门、农业行政主管部门依法作出处罚决定.
PENALTY_SECTORS = ("market", "agriculture")
NOT_PENALTY_OFFICE = "处罚决定由市场监管部门、农业行政主管部门依法作出（第一条），其他部门不录入行政处罚。"
PENALTY_OUTCOME_NEEDS_RECORD = "办理结果为“作出行政处罚”的，须先录入处罚决定。"
PENALTY_OUTCOME_WRONG_SECTOR = "“作出行政处罚”只能由市场监管部门、农业行政主管部门作出（第一条）。"
# 第四条: 公安部门负责依法打击生产、销售有毒有害豆芽违法犯罪行为.
CRIMINAL_OUTCOME_WRONG_SECTOR = "“刑事立案”只能由公安部门作出（第四条）；涉嫌犯罪的，请移交公安部门。"

# Nothing happens before its cause, and nothing is recorded as done on a day still to come: a clue is found
# on or before today; a 处罚决定 and the closure follow the finding and are not dated in the future.
FOUND_IN_FUTURE = "发现日期不能晚于今天，请填写实际发现线索的日期。"
PENALTY_IN_FUTURE = "处罚决定日期不能晚于今天，请填写处罚决定书上的日期。"
PENALTY_BEFORE_FOUND = (
    "处罚决定日期不能早于案件的发现日期（{found:%Y年%m月%d日}），请核对处罚决定书上的日期。"
)
CLOSED_IN_FUTURE = "办结日期不能晚于今天。"
CLOSED_BEFORE_FOUND = "办结日期不能早于案件的发现日期（{found:%Y年%m月%d日}），请核对案件的发现日期。"

NO_RULE = "没有适用的分办规则：请系统管理员检查分办规则的适用环节、来源和有效期。"
NO_OFFICE = "找不到{district}的{sector}，请系统管理员检查组织机构。"


@dataclass(frozen=True)
class Rule:
    """One version of a routing rule, as plain values."""

    id: int
    code: str
    clause: str
    title: str
    priority: int
    valid_from: date
    valid_to: date | None = None
    stage: str = ""  # "" = any stage
    source: str = ""  # "" = any source
    criminal: bool | None = None  # None = either
    lead_sector: str = ""  # "" for a rule that only chooses the office (属地管理)
    cooperating_sectors: tuple[str, ...] = ()
    territorial: bool = False
    legal_basis: str = ""
    version: int = 1

    def applies(self, facts: Facts) -> bool:
        return (
            (not self.stage or self.stage == facts.stage)
            and (not self.source or self.source == facts.source)
            and (self.criminal is None or self.criminal == facts.criminal)
            and self.valid_from <= facts.on
            and (self.valid_to is None or facts.on <= self.valid_to)
        )


@dataclass(frozen=True)
class Facts:
    stage: str
    source: str
    district: str  # county/district name, e.g. "宝清县"
    on: date
    criminal: bool = False


@dataclass(frozen=True)
class Decision:
    lead_sector: str = ""
    lead_office: str = ""
    cooperating: tuple[tuple[str, str], ...] = ()  # (sector, office name)
    rule_ids: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def routed(self) -> bool:
        return bool(self.lead_office) and not self.problems

    def text(self) -> str:
        return "\n".join(self.reasons + self.problems)


def _label(sector: str) -> str:
    return SECTOR_LABELS.get(sector, sector)


def _scope(rule: Rule) -> str:
    parts = []
    if rule.stage:
        parts.append(Stage(rule.stage).label)
    if rule.source:
        parts.append(Source(rule.source).label)
    if rule.criminal:
        parts.append("涉嫌犯罪")
    return "、".join(parts) or "各环节"


def _lead_rule(candidates: list[Rule], facts: Facts) -> Rule | None:
    if facts.criminal:
        crime = [r for r in candidates if r.criminal]
        if crime:
            candidates = crime
    return min(candidates, key=lambda r: (r.priority, r.code), default=None)


def route(rules: Iterable[Rule], facts: Facts, offices: Mapping[tuple[str | None, str], str]) -> Decision:
    """Pick the lead department, the cooperating departments and the offices, and say why.

    ``offices`` maps ``(district name, sector)`` to the county office's name and ``(None, sector)`` to the
    city office's name (used when no 属地管理 rule is in force).
    """
    matching = [r for r in rules if r.applies(facts)]
    lead = _lead_rule([r for r in matching if r.lead_sector], facts)
    if lead is None:
        return Decision(problems=(NO_RULE,))
    territorial = min(
        (r for r in matching if r.territorial and not r.lead_sector),
        key=lambda r: (r.priority, r.code),
        default=None,
    )
    district = facts.district if territorial else None
    problems = []

    def office(sector: str) -> str:
        name = offices.get((district, sector), "")
        if not name:
            problems.append(NO_OFFICE.format(district=district or "市级", sector=_label(sector)))
        return name

    # Other applicable rules with the same lead department add their cooperating departments
    # (e.g. a risk-monitoring finding in production: 第三条 leads, 第一条 brings in 农业).
    supporting = [
        r
        for r in sorted(matching, key=lambda r: (r.priority, r.code))
        if r is not lead and r.lead_sector == lead.lead_sector and r.cooperating_sectors
    ]
    sectors: list[str] = []
    for rule in [lead, *supporting]:
        sectors += [s for s in rule.cooperating_sectors if s != lead.lead_sector and s not in sectors]
    lead_office = office(lead.lead_sector)
    cooperating = tuple((sector, office(sector)) for sector in sectors)
    reason = f"{lead.clause}（{_scope(lead)}）：{_label(lead.lead_sector)}牵头"
    if lead.cooperating_sectors:
        reason += "，" + "、".join(_label(s) for s in lead.cooperating_sectors) + "配合"
    reasons = [reason]
    rule_ids = [lead.id]
    seen = set(lead.cooperating_sectors)
    for rule in supporting:
        added = [s for s in rule.cooperating_sectors if s not in seen and s != lead.lead_sector]
        if added:
            seen.update(added)
            reasons.append(
                f"{rule.clause}（{_scope(rule)}）：" + "、".join(_label(s) for s in added) + "配合"
            )
            rule_ids.append(rule.id)
    if territorial:
        offices_text = "、".join(name for name in [lead_office, *(n for _, n in cooperating)] if name)
        reasons.append(f"{territorial.clause}（属地管理）：案发地{facts.district} → {offices_text}")
        rule_ids.append(territorial.id)
    else:
        reasons.append(f"无属地管理规则生效：由市级部门 {lead_office} 办理")
    return Decision(
        lead_sector=lead.lead_sector,
        lead_office=lead_office,
        cooperating=cooperating,
        rule_ids=tuple(rule_ids),
        reasons=tuple(reasons),
        problems=tuple(problems),
    )


def acknowledgement_due(sent_on: date, days: int) -> date:
    """The last calendar day the receiver may acknowledge a hand-over (the gazette's 日 is a calendar day)."""
    return sent_on + timedelta(days=days)


def handover_overdue(due_on: date, *, acknowledged: bool, today: date) -> bool:
    """A hand-over is overdue from the day after its last acknowledgement day until it is acknowledged.

    Computed whenever it is read, from the due day and today (Beijing), never stored: the list filter, the case
    page, the 待办, the statistics and the export all ask this (or ``selectors.overdue_q``, its query form).
    """
    return not acknowledged and due_on < today


def event_date_problem(
    on: date | None, *, today: date, found_on: date | None, future: str, before_found: str = ""
) -> str:
    """Why an event dated ``on`` cannot be recorded ("" when it can): after today, or before the case's
    发现日期 (each message names what to do)."""
    if on is None:
        return ""
    if on > today:
        return future
    if before_found and found_on is not None and on < found_on:
        return before_found.format(found=found_on)
    return ""


def outcome_problem(outcome: str, *, lead_sector: str, has_penalty: bool) -> str:
    """Why a case led by ``lead_sector`` cannot be closed with ``outcome`` ("" when it can).

    作出行政处罚 is the decision of 市场监管 or 农业 (第一条) and is recorded first, so the statistics count
    only penalties that exist; 刑事立案 belongs to 公安 (第四条).
    """
    if outcome == Outcome.PENALIZED:
        if lead_sector not in PENALTY_SECTORS:
            return PENALTY_OUTCOME_WRONG_SECTOR
        if not has_penalty:
            return PENALTY_OUTCOME_NEEDS_RECORD
    if outcome == Outcome.CRIMINAL and lead_sector != "police":
        return CRIMINAL_OUTCOME_WRONG_SECTOR
    return ""
