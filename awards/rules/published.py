"""Reconciliation of a published allocation table (awards spec, "Command line: awards_reconcile")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import group1_amount
from .values import Tier, fmt, round2

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
