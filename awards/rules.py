"""The gazette's scoring formulas as pure functions: plain values in, results with their derivation out.

双政办发〔2020〕14号 二、三 and 双政办发〔2020〕15号 四、五; decisions on ambiguities are those of the
awards spec (pooled group average; cap each indicator, then round half-up to 2 decimals; bonuses added after
the 50:30:20 conversion, unweighted). No ORM here: ``services`` loads the data and stores the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

ZERO = Decimal("0")
CENT = Decimal("0.01")
ONE = Decimal("1")

PROV, CITY, IND = "PROV", "CITY", "IND"
CATEGORIES = (PROV, CITY, IND)
CATEGORY_LABELS = {PROV: "省级百大项目", CITY: "市级百大项目", IND: "产业项目"}
INDICATOR_LABELS = ("开复工及竣工个数", "开复工率", "年度实际投资完成额", "年度实际投资完成率")

COMPLETED_NOT_STARTED = "已竣工的项目必须已开复工"
INVESTMENT_NOT_STARTED = "年度完成投资大于0的项目必须已开复工"
# 双政办发〔2020〕15号 四(三): only 投资500万元以上产业项目 are scored (以上 includes the number itself).
INDUSTRIAL_THRESHOLD = Decimal("500")
INDUSTRIAL_MINIMUM = "计划总投资不足500万元，不属于“投资500万元以上产业项目”，不能录入。"
INDUSTRIAL_TOTAL_REQUIRED = "投资500万元以上产业项目须填写计划总投资（万元）。"


def counts_as_industrial(total_investment: Decimal | None) -> bool:
    """A 产业项目 counts when its 计划总投资 is 500万元 or more; one recorded before the figure was asked for
    (``None``) stays in and is flagged for 发改委 to complete."""
    return total_investment is None or Decimal(total_investment) >= INDUSTRIAL_THRESHOLD


TIE_ACROSS_TIER = "{a}与{b}的折算后得分（{c}）和考核得分（{r}）相同，却分属“{ta}”和“{tb}”，请审批时确认。"


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 decimals (spec: Decision (rounding))."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round0(value: Decimal) -> int:
    """Half-up to an integer (折算后得分, 第一组 amounts)."""
    return int(value.quantize(ONE, rounding=ROUND_HALF_UP))


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """One exact-as-possible division; a zero denominator gives 0 (spec: "division by zero gives 0")."""
    if not denominator:
        return ZERO
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(numerator) / Decimal(denominator)


def fmt(value) -> str:
    """A number as the derivation shows it: no trailing zeros, no exponent."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(ONE))
    text = format(value.normalize(), "f")
    return text


# --- inputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryParams:
    start_points: Decimal
    start_cap: Decimal
    done_points: Decimal
    done_cap: Decimal
    count_cap: Decimal
    rate_cap: Decimal
    invest_unit: Decimal
    invest_points: Decimal
    invest_cap: Decimal
    completion_cap: Decimal
    weight: Decimal


@dataclass(frozen=True)
class Tier:
    name: str
    places: int
    amount: int


@dataclass(frozen=True)
class Scheme:
    categories: dict[str, CategoryParams]
    major_threshold: Decimal = Decimal("50000")
    major_points: Decimal = Decimal("7.5")
    major_cap: Decimal = Decimal("15")
    single_points: Decimal = Decimal("2.5")
    single_cap: Decimal = Decimal("5")
    rate: Decimal = Decimal("4.56")
    tiers: tuple[Tier, ...] = ()


def scheme_2019() -> Scheme:
    """双政办发〔2020〕15号 四(二), 五 — the default of every year."""
    d = Decimal
    return Scheme(
        categories={
            PROV: CategoryParams(
                d("1.5"), d(15), d("1.5"), d(5), d(20), d(10), d(10000), d(3), d(60), d(10), d("0.5")
            ),
            CITY: CategoryParams(
                d(1), d(15), d(1), d(5), d(20), d(10), d(1000), d("1.5"), d(60), d(10), d("0.3")
            ),
            IND: CategoryParams(
                d("0.6"), d(15), d("0.5"), d(5), d(20), d(10), d(10000), d(3), d(60), d(10), d("0.2")
            ),
        },
        tiers=(Tier("一等奖", 3, 20), Tier("二等奖", 5, 10), Tier("三等奖", 7, 5)),
    )


@dataclass(frozen=True)
class ProjectData:
    entity_id: int
    category: str
    planned: Decimal
    actual: Decimal
    started: bool
    completed: bool
    single: bool = False
    id: int | None = None


@dataclass(frozen=True)
class TargetData:
    entity_id: int
    count: int
    amount: Decimal


@dataclass(frozen=True)
class EntityInfo:
    id: int
    name: str
    group: int
    directory_order: int
    disqualified: bool = False


# --- outputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    label: str
    value: Decimal
    derivation: str

    def as_dict(self) -> dict:
        return {"label": self.label, "value": str(self.value), "derivation": self.derivation}


@dataclass(frozen=True)
class CategoryScore:
    category: str
    indicators: tuple[Indicator, ...]

    @property
    def total(self) -> Decimal:
        return sum((i.value for i in self.indicators), ZERO)


@dataclass(frozen=True)
class EntityResult:
    entity: EntityInfo
    scores: dict[str, CategoryScore]
    bonus_major: Indicator
    bonus_single: Indicator
    raw: Decimal
    converted: int
    conversion: str
    rank: int | None = None
    tier: str = ""
    amount: int = 0

    def details(self) -> dict:
        return {
            "categories": {
                c: {
                    "label": CATEGORY_LABELS[c],
                    "total": str(s.total),
                    "indicators": [i.as_dict() for i in s.indicators],
                }
                for c, s in self.scores.items()
            },
            "bonuses": [self.bonus_major.as_dict(), self.bonus_single.as_dict()],
            "conversion": self.conversion,
        }


@dataclass
class Result:
    lines: list[EntityResult]
    warnings: list[str] = field(default_factory=list)

    def group(self, number: int) -> list[EntityResult]:
        return [line for line in self.lines if line.entity.group == number]


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


# --- money (15号 五) -----------------------------------------------------------------------------------


def rank_key(line: EntityResult):
    return (-line.converted, -line.raw, line.entity.directory_order, line.entity.name)


def group1_amount(converted: int, rate: Decimal) -> int:
    """第一组: 折算后得分 × 每分金额, half-up to whole 万元."""
    return round0(Decimal(converted) * rate)


def allocate(result: Result, *, rate: Decimal, tiers: Sequence[Tier]) -> Result:
    """Rank both groups and assign amounts; used for the stored allocation and the what-if panel alike."""
    lines: list[EntityResult] = []
    warnings: list[str] = []
    group1 = sorted(result.group(1), key=rank_key)
    for rank, line in enumerate(group1, start=1):
        amount = 0 if line.entity.disqualified else group1_amount(line.converted, rate)
        lines.append(replace(line, rank=None if line.entity.disqualified else rank, tier="", amount=amount))

    ranked = sorted(result.group(2), key=rank_key)
    eligible = [line for line in ranked if line.converted > 0 and not line.entity.disqualified]
    slots: list[Tier | None] = []
    for tier in tiers:
        slots.extend([tier] * tier.places)
    placed = []
    for index, line in enumerate(eligible):
        tier = slots[index] if index < len(slots) else None
        placed.append(
            replace(line, rank=index + 1, tier=tier.name if tier else "", amount=tier.amount if tier else 0)
        )
    warnings.extend(tie_warnings([(x.entity.name, x.converted, x.raw, x.tier) for x in placed]))
    eligible_ids = {line.entity.id for line in eligible}
    others = [
        replace(line, rank=None, tier="", amount=0) for line in ranked if line.entity.id not in eligible_ids
    ]
    lines.extend(placed)
    lines.extend(others)
    return Result(lines, warnings)


def tie_warnings(lines: Sequence[tuple[str, int, Decimal, str]]) -> list[str]:
    """Warnings for ranked (name, C, R, tier) rows in rank order: a (C, R) tie that straddles a tier."""
    out = []
    for a, b in zip(lines, lines[1:], strict=False):
        if (a[1], a[2]) == (b[1], b[2]) and a[3] != b[3]:
            out.append(
                TIE_ACROSS_TIER.format(
                    a=a[0], b=b[0], c=a[1], r=fmt(a[2]), ta=a[3] or "未获奖", tb=b[3] or "未获奖"
                )
            )
    return out


def parse_tiers(raw: Iterable[dict]) -> tuple[Tier, ...]:
    return tuple(Tier(str(t["name"]), int(t["places"]), int(t["amount"])) for t in raw)


# --- reconciliation of a published table (awards spec "Command line: awards_reconcile") ---------------

RECONCILE_GROUP1 = "第{row}行 {name}：奖励金额 {amount} 万元，折算后得分 {c} × 每分 {rate} 万元 = {product}，应为 {expected} 万元"
RECONCILE_GROUP2 = "第{row}行 {name}：奖励金额 {amount} 万元，按折算后得分、考核得分排第二组第{rank}名（{tier}），应为 {expected} 万元"
RECONCILE_GROUP2_UNRANKED = "第{row}行 {name}：奖励金额 {amount} 万元，折算后得分为0不参加排名，应为 0 万元"
RECONCILE_SUM = "第{row}行 {label}：{column} {value}，与{scope}合计 {expected} 不符"
RECONCILE_COLUMNS = (("raw", "考核得分"), ("converted", "折算后得分"), ("amount", "奖励金额（万元）"))


@dataclass(frozen=True)
class PublishedRow:
    """One row of a published table: ``kind`` is "total" (合计), "group" (一组/二组 subtotal) or "entity"."""

    row: int
    kind: str
    group: int | None
    name: str
    raw: Decimal
    converted: int
    amount: int
    order: int = 0


def _show_raw(value) -> str:
    return str(round2(Decimal(value)))


def reconcile(rows: Sequence[PublishedRow], *, rate: Decimal, tiers: Sequence[Tier]) -> list[str]:
    """Every inconsistency of a published table, in row order (双政办发〔2020〕15号 五 and 附件).

    第一组 rows: amount = half-up(C × rate). 第二组 rows: rank by C desc, then R desc, then directory order (C > 0
    only); the tier of the rank gives the amount, 0 beyond the tiers. Subtotals: each column equals the sum of
    its group's rows; the total equals the sum of all entity rows.
    """
    found: list[tuple[int, int, str]] = []
    entities = [r for r in rows if r.kind == "entity"]
    for r in entities:
        if r.group == 1:
            expected = group1_amount(r.converted, rate)
            if r.amount != expected:
                text = RECONCILE_GROUP1.format(
                    row=r.row,
                    name=r.name,
                    amount=r.amount,
                    c=r.converted,
                    rate=fmt(rate),
                    product=fmt(Decimal(r.converted) * rate),
                    expected=expected,
                )
                found.append((r.row, 0, text))
    group2 = sorted(
        (r for r in entities if r.group == 2), key=lambda r: (-r.converted, -r.raw, r.order, r.row)
    )
    slots: list[Tier] = [t for t in tiers for _ in range(t.places)]
    rank = 0
    for r in group2:
        if r.converted <= 0:
            if r.amount != 0:
                found.append(
                    (r.row, 0, RECONCILE_GROUP2_UNRANKED.format(row=r.row, name=r.name, amount=r.amount))
                )
            continue
        rank += 1
        tier = slots[rank - 1] if rank <= len(slots) else None
        expected = tier.amount if tier else 0
        if r.amount != expected:
            text = RECONCILE_GROUP2.format(
                row=r.row,
                name=r.name,
                amount=r.amount,
                rank=rank,
                tier=tier.name if tier else "未获奖",
                expected=expected,
            )
            found.append((r.row, 0, text))
    for r in rows:
        if r.kind == "entity":
            continue
        members = [e for e in entities if r.kind == "total" or e.group == r.group]
        scope = "全部单位各行" if r.kind == "total" else "本组各行"
        for index, (attr, column) in enumerate(RECONCILE_COLUMNS):
            expected = sum((getattr(e, attr) for e in members), Decimal(0) if attr == "raw" else 0)
            value = getattr(r, attr)
            if value != expected:
                shown = _show_raw if attr == "raw" else str
                text = RECONCILE_SUM.format(
                    row=r.row,
                    label=r.name,
                    column=column,
                    value=shown(value),
                    scope=scope,
                    expected=shown(expected),
                )
                found.append((r.row, index, text))
    return [text for _, _, text in sorted(found, key=lambda x: (x[0], x[1]))]
