"""The four indicators and the two bonuses of each entity, and the score (双政办发〔2020〕15号 四(二))."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import allocate
from .values import (
    CATEGORIES,
    IND,
    INDICATOR_LABELS,
    PROV,
    ZERO,
    CategoryParams,
    CategoryScore,
    EntityInfo,
    EntityResult,
    Indicator,
    ProjectData,
    Result,
    Scheme,
    TargetData,
    divide,
    fmt,
    round0,
    round2,
)

# --- the four indicators (15号 四(二)1) ---------------------------------------------------------------


def _capped(value: Decimal, cap: Decimal) -> tuple[Decimal, bool]:
    return (cap, True) if value > cap else (value, False)


def count_score(p: CategoryParams, n_start: int, n_done: int) -> Indicator:
    """① 开复工及竣工个数: points per started (capped) + points per completed (capped), capped in total."""
    start, _ = _capped(p.start_points * n_start, p.start_cap)
    done, _ = _capped(p.done_points * n_done, p.done_cap)
    total, capped = _capped(start + done, p.count_cap)
    value = round2(total)
    text = (
        f"开复工 {n_start} 个 × {fmt(p.start_points)} = {fmt(p.start_points * n_start)}（上限 {fmt(p.start_cap)}）"
        f"；竣工 {n_done} 个 × {fmt(p.done_points)} = {fmt(p.done_points * n_done)}（上限 {fmt(p.done_cap)}）"
        f"；合计 {fmt(value)}" + ("（已达上限）" if capped else "")
    )
    return Indicator(INDICATOR_LABELS[0], value, text)


def rate_score_pooled(
    p: CategoryParams, n_start: int, n_plan: int, group_start: int, group_plan: int
) -> Indicator:
    """② 开复工率 (省级/市级): (rate_e / pooled group average) × 10, capped; 0 on any zero division.

    The ratio is computed as one division ``n_start·group_plan·10 / (n_plan·group_start)`` so that an exact
    x.xx5 is not lost to an intermediate rounding.
    """
    raw = divide(Decimal(n_start * group_plan) * 10, Decimal(n_plan * group_start))
    value, capped = _capped(raw, p.rate_cap)
    value = round2(value)
    text = (
        f"开复工率 {n_start}/{n_plan} ÷ 本组平均 {group_start}/{group_plan} × 10 = {fmt(round2(raw))}"
        f"（上限 {fmt(p.rate_cap)}）"
    )
    if not n_plan or not group_start:
        text = f"开复工率 {n_start}/{n_plan}，本组平均 {group_start}/{group_plan}：除数为0，得0分"
    return Indicator(INDICATOR_LABELS[1], value, text + ("，取上限" if capped else ""))


def rate_score_target(p: CategoryParams, n_start: int, target_count: int) -> Indicator:
    """② 开复工率 (产业项目): N_start / 开复工任务目标个数 × 10, capped."""
    raw = divide(Decimal(n_start) * 10, Decimal(target_count))
    value, capped = _capped(raw, p.rate_cap)
    value = round2(value)
    if not target_count:
        text = f"开复工 {n_start} 个 ÷ 目标 0 个：除数为0，得0分"
    else:
        text = f"开复工 {n_start} 个 ÷ 目标 {target_count} 个 × 10 = {fmt(round2(raw))}（上限 {fmt(p.rate_cap)}）"
    return Indicator(INDICATOR_LABELS[1], value, text + ("，取上限" if capped else ""))


def investment_score(p: CategoryParams, actual: Decimal) -> Indicator:
    """③ 年度实际投资完成额: A / unit × points, capped (省级/产业: 1亿元 × 3; 市级: 1000万元 × 1.5)."""
    raw = divide(actual * p.invest_points, p.invest_unit)
    value, capped = _capped(raw, p.invest_cap)
    value = round2(value)
    text = (
        f"完成投资 {fmt(actual)} 万元 ÷ {fmt(p.invest_unit)} 万元 × {fmt(p.invest_points)} = {fmt(round2(raw))}"
        f"（上限 {fmt(p.invest_cap)}）"
    )
    return Indicator(INDICATOR_LABELS[2], value, text + ("，取上限" if capped else ""))


def completion_score(p: CategoryParams, actual: Decimal, planned: Decimal, planned_label: str) -> Indicator:
    """④ 年度实际投资完成率: A / P × 10, capped; P = 计划投资 (省级/市级) or 目标额 (产业)."""
    raw = divide(actual * 10, planned)
    value, capped = _capped(raw, p.completion_cap)
    value = round2(value)
    if not planned:
        text = f"完成投资 {fmt(actual)} 万元 ÷ {planned_label} 0 万元：除数为0，得0分"
    else:
        text = (
            f"完成投资 {fmt(actual)} 万元 ÷ {planned_label} {fmt(planned)} 万元 × 10 = {fmt(round2(raw))}"
            f"（上限 {fmt(p.completion_cap)}）"
        )
    return Indicator(INDICATOR_LABELS[3], value, text + ("，取上限" if capped else ""))


def major_bonus(scheme: Scheme, projects: Iterable[ProjectData]) -> Indicator:
    """特别重大项目加分 (15号 四(二)2): 7.5 × started projects with actual ≥ 50000 万元, cap 15."""
    n = sum(1 for x in projects if x.started and x.actual >= scheme.major_threshold)
    value = round2(min(scheme.major_points * n, scheme.major_cap))
    text = (
        f"年度完成投资 {fmt(scheme.major_threshold)} 万元及以上项目 {n} 个 × {fmt(scheme.major_points)}"
        f" = {fmt(scheme.major_points * n)}（上限 {fmt(scheme.major_cap)}）"
    )
    return Indicator("特别重大项目加分", value, text)


def single_bonus(scheme: Scheme, projects: Iterable[ProjectData]) -> Indicator:
    """单体省级百大项目加分 (15号 四(二)3): 2.5 × started PROV projects flagged 单体, cap 5."""
    n = sum(1 for x in projects if x.started and x.single and x.category == PROV)
    value = round2(min(scheme.single_points * n, scheme.single_cap))
    text = (
        f"开复工单体省级百大项目 {n} 个 × {fmt(scheme.single_points)} = {fmt(scheme.single_points * n)}"
        f"（上限 {fmt(scheme.single_cap)}）"
    )
    return Indicator("单体省级百大项目加分", value, text)


@dataclass
class _Tally:
    n_plan: int = 0
    n_start: int = 0
    n_done: int = 0
    actual: Decimal = ZERO
    planned: Decimal = ZERO


def _tally(projects: Iterable[ProjectData]) -> dict[tuple[int, str], _Tally]:
    tallies: dict[tuple[int, str], _Tally] = defaultdict(_Tally)
    for x in projects:
        t = tallies[(x.entity_id, x.category)]
        t.n_plan += 1
        t.planned += x.planned
        if x.started:
            t.n_start += 1
            t.actual += x.actual
        if x.completed:
            t.n_done += 1
    return tallies


def converted_score(scheme: Scheme, scores: dict[str, Decimal], bonuses: Decimal) -> tuple[int, str]:
    """折算后得分: half-up integer of 0.5·S_PROV + 0.3·S_CITY + 0.2·S_IND + bonuses (bonuses unweighted)."""
    weighted = sum((scheme.categories[c].weight * scores[c] for c in CATEGORIES), ZERO) + bonuses
    parts = " + ".join(f"{fmt(scheme.categories[c].weight)} × {fmt(scores[c])}" for c in CATEGORIES)
    return round0(weighted), f"{parts} + 加分 {fmt(bonuses)} = {fmt(weighted)}，四舍五入 {round0(weighted)}"


def score(
    scheme: Scheme,
    entities: Sequence[EntityInfo],
    projects: Sequence[ProjectData],
    targets: Sequence[TargetData],
) -> Result:
    """Score every participating entity and allocate the money (双政办发〔2020〕15号 四、五)."""
    by_id = {e.id: e for e in entities}
    projects = [x for x in projects if x.entity_id in by_id]
    targets_by_entity = {t.entity_id: t for t in targets if t.entity_id in by_id}
    tallies = _tally(projects)
    projects_by_entity: dict[int, list[ProjectData]] = defaultdict(list)
    for x in projects:
        projects_by_entity[x.entity_id].append(x)

    group_totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for (entity_id, category), t in tallies.items():
        g = group_totals[(by_id[entity_id].group, category)]
        g[0] += t.n_start
        g[1] += t.n_plan

    participants = [e for e in entities if e.id in projects_by_entity or e.id in targets_by_entity]
    lines = []
    for e in participants:
        scores = {}
        for c in CATEGORIES:
            p = scheme.categories[c]
            t = tallies.get((e.id, c), _Tally())
            if c == IND:
                target = targets_by_entity.get(e.id)
                count, amount = (target.count, target.amount) if target else (0, ZERO)
                rate = rate_score_target(p, t.n_start, count)
                completion = completion_score(p, t.actual, amount, "目标额")
            else:
                g_start, g_plan = group_totals[(e.group, c)]
                rate = rate_score_pooled(p, t.n_start, t.n_plan, g_start, g_plan)
                completion = completion_score(p, t.actual, t.planned, "计划投资")
            scores[c] = CategoryScore(
                c, (count_score(p, t.n_start, t.n_done), rate, investment_score(p, t.actual), completion)
            )
        own = projects_by_entity.get(e.id, [])
        major, single = major_bonus(scheme, own), single_bonus(scheme, own)
        bonuses = major.value + single.value
        totals = {c: s.total for c, s in scores.items()}
        raw = round2(sum(totals.values(), ZERO) + bonuses)
        converted, conversion = converted_score(scheme, totals, bonuses)
        lines.append(EntityResult(e, scores, major, single, raw, converted, conversion))
    result = Result(lines)
    return allocate(result, rate=scheme.rate, tiers=scheme.tiers)
