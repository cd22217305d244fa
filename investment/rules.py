"""The gazette's formulas for the 招商引资目标责任考核 (双政办发〔2020〕16号 附件1), as pure functions.

Plain values in, a result and its derivation out: no ORM, no request.

Units: 签约额 and 内资 targets are 亿元; projects record 签约额 and 到位内资 in 万元 and 到位外资 in 万美元
(1 亿元 = 10000 万元). Reported values stay in the projects' units (万元, 万美元) so nothing is lost to
rounding; a target in 亿元 is multiplied by 10000 before dividing. Rates and shares are percentages rounded
half-up to 0.01; points likewise.

**Decision — the weighted score (综合评价, 第七条(四)).** The provincial 评分标准 named by the gazette is not
in the published seed, so the score is a per-year parameter table (``ScoreWeight``: indicator, weight, cap),
and ``DEFAULT_WEIGHTS`` below is its default (total 100 points):

=======================  ======  =====  ==========================================================
indicator                weight  cap    rate the points are taken from
=======================  ======  =====  ==========================================================
签约项目完成率             15      100%   signed amount ÷ 签约额 target
项目开工率                 15      100%   new projects started ÷ 新开工 target
实际使用外资完成率          15      100%   外资 received ÷ 外资 target
实际使用外资增幅            5       100%   100% + growth over the previous year
实际利用内资完成率          20      100%   内资 received ÷ 内资 target
实际利用内资增幅            5       100%   100% + growth over the previous year
重大项目引进               15      100%   100% per 重大项目 (one 重大项目 earns the full weight)
主导产业定位项目占比         10      100%   share of leading-industry new projects ÷ share target
=======================  ======  =====  ==========================================================

points = weight × min(rate, cap) ÷ 100. An indicator that cannot be assessed because its target is zero, or
because the previous year's figure is zero, loses nothing (full weight, shown as such). **Decision**: 增幅 with
no previous-year figure at all shows "无上年数据" and scores 0 until the 考核组 enters the previous year's base
with its source (``PreviousYearBase``). With no project
newly introduced (signed) in the year, the 主导产业 share is 0 unless its target is zero.
For 市直承标单位 the comprehensive score is the 市委考评办 result, entered as given (第七条(五)).

Other **Decision**s: a project's 签约额 counts when it was signed in the year; 项目开工率 counts the projects
started in the year; a project is newly introduced (新引进, the base of 主导产业定位项目占比) when it was
signed in the year, whether or not it has started. 到位资金 is what the project received this year. A unit's
previous year is its reviewed self-evaluation of that year, else the base the 考核组 entered, else its project
list of that year, else "无上年数据". A project signed before the year, or started before it, stays in the list
for its 到位资金 but is left out of 签约额 / 新引进 / 开工 — shown with the reason (``left_out``), never dropped
silently. At 通报 a unit that never submitted its self-evaluation is listed as 未申报, without score or
rank; the others are ranked within their group (县（区） / 市直承标单位), equal scores sharing a place. The two
groups are scored on different scales (the indicators above / the 市委考评办 score), so the 激励资金 has one pool
per group, each split over the group's ranked units in proportion to their scores (``allocate_by_group``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
WAN_PER_YI = Decimal("10000")

#: 第四条: 煤炭类城市的外、内资重大项目认定标准 — 当年实际到位资金外资 500 万美元，内资 3 亿元.
FOREIGN_MAJOR_MUSD = Decimal("500")
DOMESTIC_MAJOR_YI = Decimal("3")

#: 第七条(一): 当年 12 月 25 日前提交自评报告.
DEADLINE_MONTH, DEADLINE_DAY = 12, 25

SIGNING_RATE = "signing_rate"
START_RATE = "start_rate"
FOREIGN_RATE = "foreign_rate"
FOREIGN_GROWTH = "foreign_growth"
DOMESTIC_RATE = "domestic_rate"
DOMESTIC_GROWTH = "domestic_growth"
MAJOR = "major"
LEADING_SHARE = "leading_share"

INDICATOR_CHOICES = [
    (SIGNING_RATE, "签约项目完成率"),
    (START_RATE, "项目开工率"),
    (FOREIGN_RATE, "实际使用外资完成率"),
    (FOREIGN_GROWTH, "实际使用外资增幅"),
    (DOMESTIC_RATE, "实际利用内资完成率"),
    (DOMESTIC_GROWTH, "实际利用内资增幅"),
    (MAJOR, "重大项目引进"),
    (LEADING_SHARE, "主导产业定位项目占比"),
]
INDICATOR_LABELS = dict(INDICATOR_CHOICES)

#: indicator -> (weight, cap %)
DEFAULT_WEIGHTS: dict[str, tuple[Decimal, Decimal]] = {
    SIGNING_RATE: (Decimal("15"), HUNDRED),
    START_RATE: (Decimal("15"), HUNDRED),
    FOREIGN_RATE: (Decimal("15"), HUNDRED),
    FOREIGN_GROWTH: (Decimal("5"), HUNDRED),
    DOMESTIC_RATE: (Decimal("20"), HUNDRED),
    DOMESTIC_GROWTH: (Decimal("5"), HUNDRED),
    MAJOR: (Decimal("15"), HUNDRED),
    LEADING_SHARE: (Decimal("10"), HUNDRED),
}

# The reported values a self-evaluation carries and the 考核组 reviews (附件1 第三条).
SIGNED_WAN = "signed_wan"
STARTED = "started"
FOREIGN_MUSD = "foreign_musd"
DOMESTIC_WAN = "domestic_wan"
MAJOR_COUNT = "major_count"
NEW_PROJECTS = "new_projects"
LEADING_NEW = "leading_new"
MEASURE_CHOICES = [
    (SIGNED_WAN, "当年签约额（万元）"),
    (STARTED, "当年新开工项目（个）"),
    (FOREIGN_MUSD, "实际使用外资（万美元）"),
    (DOMESTIC_WAN, "实际利用内资（万元）"),
    (MAJOR_COUNT, "重大项目（个）"),
    (NEW_PROJECTS, "当年新引进项目（个）"),
    (LEADING_NEW, "新引进主导产业项目（个）"),
]
MEASURES = [m for m, _ in MEASURE_CHOICES]


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def default_deadline(year: int) -> date:
    return date(year, DEADLINE_MONTH, DEADLINE_DAY)


def overdue_in_its_year(*, deadline: date, year: int, today: date) -> bool:
    """附件1 第七条(一) "当年12月25日前": a report's deadline is judged on its own year's clock.

    Overdue from the day after the deadline while that year runs. Once the year is over it is no longer
    flagged against today's date: the year's results record a report that came late (逾期申报) or never came
    (未申报) — a 2020 report is not "已逾期" again on every later day.
    """
    return deadline < today and today.year <= year


def is_late(submitted_at: datetime | date, deadline: date) -> bool:
    """第七条(一) 12月25日前: submitting on the deadline day is on time; the day after is late."""
    day = submitted_at.date() if isinstance(submitted_at, datetime) else submitted_at
    return day > deadline


def size_count_label(size_wan: Decimal, at_least: bool, count: int) -> str:
    """表（二）'s wording: ``3000万 1个`` / ``500万以上 2个``."""
    size = format(size_wan.normalize(), "f") if size_wan == size_wan.to_integral() else str(size_wan)
    if "." in size:
        size = size.rstrip("0").rstrip(".")
    return f"{size}万{'以上' if at_least else ''} {count}个"


def wan_to_yi(value_wan: Decimal) -> Decimal:
    return value_wan / WAN_PER_YI


# ---------------------------------------------------------------- per-project facts


@dataclass(frozen=True)
class ProjectFacts:
    """What a project contributes to its unit's indicators for ``year``."""

    signed_on: date | None
    contract_wan: Decimal
    started_on: date | None
    is_leading: bool
    received_foreign_musd: Decimal
    received_domestic_wan: Decimal


def is_major(
    *,
    received_foreign_musd: Decimal,
    received_domestic_wan: Decimal,
    foreign_threshold_musd: Decimal = FOREIGN_MAJOR_MUSD,
    domestic_threshold_yi: Decimal = DOMESTIC_MAJOR_YI,
) -> bool:
    """第四条: major when this year's received funds reach 500 万美元 (外资) or 3 亿元 (内资) — ≥, inclusive."""
    return received_foreign_musd >= foreign_threshold_musd or received_domestic_wan >= (
        domestic_threshold_yi * WAN_PER_YI
    )


def measures(
    projects: list[ProjectFacts],
    year: int,
    *,
    foreign_threshold_musd: Decimal = FOREIGN_MAJOR_MUSD,
    domestic_threshold_yi: Decimal = DOMESTIC_MAJOR_YI,
) -> dict[str, Decimal]:
    """The reported values of a unit's year from its project list (附件1 第三条, 第四条).

    Signed amount counts projects signed in ``year``; 项目开工率 the projects started in ``year``; the
    新引进 projects of the 主导产业 share are those signed in ``year``, started or not (spec **Decision**).
    """
    signed = [p for p in projects if p.signed_on and p.signed_on.year == year]
    signed_wan = sum((p.contract_wan for p in signed), Decimal(0))
    started = [p for p in projects if p.started_on and p.started_on.year == year]
    return {
        SIGNED_WAN: q2(signed_wan),
        STARTED: Decimal(len(started)),
        FOREIGN_MUSD: q2(sum((p.received_foreign_musd for p in projects), Decimal(0))),
        DOMESTIC_WAN: q2(sum((p.received_domestic_wan for p in projects), Decimal(0))),
        MAJOR_COUNT: Decimal(
            sum(
                1
                for p in projects
                if is_major(
                    received_foreign_musd=p.received_foreign_musd,
                    received_domestic_wan=p.received_domestic_wan,
                    foreign_threshold_musd=foreign_threshold_musd,
                    domestic_threshold_yi=domestic_threshold_yi,
                )
            )
        ),
        NEW_PROJECTS: Decimal(len(signed)),
        LEADING_NEW: Decimal(sum(1 for p in signed if p.is_leading)),
    }


def left_out(name: str, facts: ProjectFacts, year: int) -> list[str]:
    """Why a project of ``year``'s list is not counted in some of the indicators (shown, never silent).

    The models refuse dates after the year (and after today); what remains is a project signed or started in
    an earlier year, which still brings its 到位资金 but not its 签约额, its 新引进 or its 开工.
    """
    reasons = []
    if facts.signed_on is None and facts.contract_wan:
        reasons.append(f"{name}：未填签约日期，签约额不计入")
    elif facts.signed_on and facts.signed_on.year != year:
        reasons.append(
            f"{name}：签约于{facts.signed_on.year}年，不计入{year}年签约额和新引进项目（计入签约当年）"
        )
    if facts.started_on and facts.started_on.year != year:
        reasons.append(f"{name}：开工于{facts.started_on.year}年，不计入{year}年新开工项目")
    return reasons


# ---------------------------------------------------------------- rates


def completion_rate(actual: Decimal, target: Decimal) -> Decimal | None:
    """actual ÷ target × 100 (%), or None when the target is zero (nothing to complete)."""
    if not target:
        return None
    return q2(Decimal(actual) / Decimal(target) * HUNDRED)


def growth_rate(current: Decimal, previous: Decimal | None) -> Decimal | None:
    """增幅 (%) over the previous year; None with no previous year or a previous value of zero."""
    if previous is None or previous == 0:
        return None
    return q2((Decimal(current) - Decimal(previous)) / Decimal(previous) * HUNDRED)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole × 100 (%), or None when ``whole`` is zero."""
    if not whole:
        return None
    return q2(Decimal(part) / Decimal(whole) * HUNDRED)


@dataclass(frozen=True)
class CountyTargets:
    foreign_musd: Decimal
    domestic_yi: Decimal
    signing_yi: Decimal
    new_projects: int
    leading_share_pct: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    actual: str  # the value achieved, with unit
    target: str  # the target it is measured against, with unit
    rate: Decimal | None  # the rate the points are taken from (%)
    note: str = ""


def _fmt(value: Decimal | None, unit: str) -> str:
    return "—" if value is None else f"{value}{unit}"


NO_BASE = "无上年数据"
NO_BASE_NOTE = "无上年数据，得 0 分；考核组录入上年基数（注明来源）后计分"


def _growth(current: Decimal, previous: Decimal | None) -> tuple[str, Decimal | None, str]:
    """(shown value, rate the points come from, note) of a 增幅 indicator."""
    if previous is None:
        return NO_BASE, Decimal("0.00"), NO_BASE_NOTE
    growth = growth_rate(current, previous)
    if growth is None:
        return "—", None, "上年为 0，不计增幅"
    return _fmt(growth, "%"), HUNDRED + growth, ""


def indicators(
    values: dict[str, Decimal],
    targets: CountyTargets,
    previous: dict[str, Decimal] | None,
) -> list[Indicator]:
    """附件1 第三条's indicators for one county-level unit, each with the rate its points come from."""
    previous = previous or {}
    foreign_shown, foreign_rate, foreign_note = _growth(values[FOREIGN_MUSD], previous.get(FOREIGN_MUSD))
    domestic_shown, domestic_rate, domestic_note = _growth(values[DOMESTIC_WAN], previous.get(DOMESTIC_WAN))
    # 新引进主导产业占比 = leading-industry projects signed in the year ÷ projects signed in the year.
    leading = share(values[LEADING_NEW], values[NEW_PROJECTS])
    if targets.leading_share_pct and leading is None:
        leading_rate, leading_note = Decimal("0.00"), "当年无新引进（签约）项目，占比按 0 计"
    else:
        leading_rate = completion_rate(leading or Decimal(0), targets.leading_share_pct)
        leading_note = ""
    return [
        Indicator(
            SIGNING_RATE,
            INDICATOR_LABELS[SIGNING_RATE],
            _fmt(values[SIGNED_WAN], "万元"),
            _fmt(targets.signing_yi, "亿元"),
            completion_rate(values[SIGNED_WAN], targets.signing_yi * WAN_PER_YI),
        ),
        Indicator(
            START_RATE,
            INDICATOR_LABELS[START_RATE],
            _fmt(values[STARTED], "个"),
            f"{targets.new_projects}个",
            completion_rate(values[STARTED], Decimal(targets.new_projects)),
        ),
        Indicator(
            FOREIGN_RATE,
            INDICATOR_LABELS[FOREIGN_RATE],
            _fmt(values[FOREIGN_MUSD], "万美元"),
            _fmt(targets.foreign_musd, "万美元"),
            completion_rate(values[FOREIGN_MUSD], targets.foreign_musd),
        ),
        Indicator(
            FOREIGN_GROWTH,
            INDICATOR_LABELS[FOREIGN_GROWTH],
            foreign_shown,
            f"上年 {_fmt(previous.get(FOREIGN_MUSD), '万美元')}",
            foreign_rate,
            foreign_note,
        ),
        Indicator(
            DOMESTIC_RATE,
            INDICATOR_LABELS[DOMESTIC_RATE],
            _fmt(values[DOMESTIC_WAN], "万元"),
            _fmt(targets.domestic_yi, "亿元"),
            completion_rate(values[DOMESTIC_WAN], targets.domestic_yi * WAN_PER_YI),
        ),
        Indicator(
            DOMESTIC_GROWTH,
            INDICATOR_LABELS[DOMESTIC_GROWTH],
            domestic_shown,
            f"上年 {_fmt(previous.get(DOMESTIC_WAN), '万元')}",
            domestic_rate,
            domestic_note,
        ),
        Indicator(
            MAJOR,
            INDICATOR_LABELS[MAJOR],
            _fmt(values[MAJOR_COUNT], "个"),
            "外资≥500万美元或内资≥3亿元",
            q2(values[MAJOR_COUNT] * HUNDRED),
        ),
        Indicator(
            LEADING_SHARE,
            INDICATOR_LABELS[LEADING_SHARE],
            _fmt(leading, "%"),
            _fmt(targets.leading_share_pct, "%"),
            leading_rate,
            leading_note,
        ),
    ]


# ---------------------------------------------------------------- score


@dataclass(frozen=True)
class ScoreLine:
    indicator: Indicator
    weight: Decimal
    cap: Decimal
    points: Decimal
    derivation: str


def points(rate: Decimal | None, weight: Decimal, cap: Decimal) -> tuple[Decimal, str]:
    """weight × min(rate, cap) ÷ 100, rounded to 0.01; an unassessable indicator keeps its full weight."""
    if rate is None:
        return q2(weight), f"不考核（目标为0或上年为0），得满分 {q2(weight)}"
    used = max(Decimal(0), min(rate, cap))
    result = q2(weight * used / HUNDRED)
    return result, f"{weight} × 较小者({rate}%, {cap}%) ÷ 100 = {result}"


def score(
    indicator_list: list[Indicator], weights: dict[str, tuple[Decimal, Decimal]]
) -> tuple[Decimal, list[ScoreLine]]:
    lines = []
    for item in indicator_list:
        weight, cap = weights.get(item.code, (Decimal(0), HUNDRED))
        value, derivation = points(item.rate, weight, cap)
        lines.append(ScoreLine(item, weight, cap, value, derivation))
    return q2(sum((line.points for line in lines), Decimal(0))), lines


def rank(scores: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal, int]]:
    """Competition ranking (1, 1, 3): equal scores share a rank; input order breaks display ties."""
    ordered = sorted(enumerate(scores), key=lambda e: (-e[1][1], e[0]))
    result, previous, current = [], None, 0
    for position, (_, (key, value)) in enumerate(ordered, start=1):
        if value != previous:
            current, previous = position, value
        result.append((key, value, current))
    return result


def allocate(pool: Decimal, scores: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal]]:
    """激励资金分配意见: the pool in proportion to the scores, to 0.01 万元, summing exactly to the pool.

    Each share is cut down to the cent; the remaining cents go one each to the largest remainders
    (ties to the earlier unit). Units scoring zero receive nothing.
    """
    total = sum((s for _, s in scores if s > 0), Decimal(0))
    if total == 0 or pool <= 0:
        return [(key, Decimal("0.00")) for key, _ in scores]
    exact = [(key, pool * s / total if s > 0 else Decimal(0)) for key, s in scores]
    floors = [(key, value.quantize(CENT, rounding=ROUND_DOWN)) for key, value in exact]
    left = int((q2(pool) - sum(v for _, v in floors)) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - floors[i][1]), i))
    amounts = [v for _, v in floors]
    for i in order[:left]:
        amounts[i] += CENT
    return [(key, amounts[i]) for i, (key, _) in enumerate(floors)]


def allocate_by_group(
    pools: dict[str, Decimal], entries: list[tuple[object, str, Decimal]]
) -> list[tuple[object, str, Decimal]]:
    """One pool per group (spec decision: 县（区） and 市直承标单位 are scored on different scales): each
    group's pool is split over its own entries by ``allocate``, so each pool sums exactly to itself."""
    result = []
    for group, pool in pools.items():
        members = [(key, value) for key, g, value in entries if g == group]
        result += [(key, group, amount) for key, amount in allocate(pool, members)]
    return result


NO_SUBMISSION = "本年度尚无任何单位提交自评报告，考核结果无从排名，不能通报。"


def publish_problem(units: int, unsubmitted: int) -> str:
    """Why a year cannot be published, or "": a 通报 ranks the units that submitted (第五条、第七条(四)), so with
    none submitted it would rank nobody and say nothing."""
    if units == 0 or unsubmitted >= units:
        return NO_SUBMISSION
    return ""
