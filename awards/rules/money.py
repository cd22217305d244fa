"""The money of each entity: group 1 per point, group 2 by tier (双政办发〔2020〕15号 五)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from .values import TIE_ACROSS_TIER, EntityResult, Result, Tier, fmt, round0

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
