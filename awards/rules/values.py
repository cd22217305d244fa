"""The formulas' plain inputs and results, the project rules they rest on, and the rounding."""

from __future__ import annotations

from dataclasses import dataclass, field
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
INDUSTRIAL_TOTAL_REQUIRED = "投资500万元以上产业项目须填写计划总投资（万元）：请填写该项目的计划总投资。"


def counts_as_industrial(total_investment: Decimal | None) -> bool:
    """A 产业项目 counts when its 计划总投资 is 500万元 or more. An empty one never counts (awards spec,
    "verified facts": an empty 计划总投资 is an error, never "counts")."""
    return total_investment is not None and Decimal(total_investment) >= INDUSTRIAL_THRESHOLD


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
