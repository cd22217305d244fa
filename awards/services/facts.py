"""Verified facts (awards spec): 发改委经办 verifies the units' declarations and imports the 入统 figures.

A unit's entry is a declaration (14号 四(二) puts data collection under 发改委 with 市统计局 and 市财政局);
only verified projects are scored, with the statistics bureau's 年度完成投资 (14号 二(二) "当年投资入统计库").
Every write keeps its history row (simple-history), so both the declaration and the verification stay readable.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from orgs.access import ALLOW, Decision, deny
from orgs.workflow import require
from security import audit
from security.models import AuditEvent

from .. import permissions
from ..models import DECLARED_FIELDS, Project, Verification
from ..rules import facts
from .entry import ensure_unlocked, locked_message

VERIFY_REASON = "发改委经办核实"
BACK_TO_PENDING = "已核实的项目被修改，退回待核实"
STATISTICS_REASON = "导入市统计局入统项目清单"
STATISTICS_FIELDS = ["in_statistics", "statistics_investment", "statistics_at", "updated_at"]
PENDING_FIELDS = ["verification", "verified_by", "verified_at"]


def _label(project: Project) -> str:
    return f"{project.entity.name}“{project.name}”"


def unverified_names(year: int) -> list[str]:
    pending = (
        Project.objects.filter(year=year, verification=Verification.PENDING)
        .select_related("entity")
        .order_by("entity__directory_order", "name")
    )
    return [_label(p) for p in pending]


def unverified_refusal(year: int) -> Decision:
    """Compute is refused while any project of the year is 待核实, naming each."""
    names = unverified_names(year)
    return deny(facts.unverified_message(names)) if names else ALLOW


def ensure_verified(year: int) -> None:
    names = unverified_names(year)
    if names:
        raise ValidationError(facts.unverified_message(names), code="unverified")


def back_to_pending(project: Project) -> bool:
    """A change to a verified project's declared facts sends it back to 待核实 (history keeps both)."""
    if not project.pk or project.verification != Verification.VERIFIED:
        return False
    stored = Project.objects.filter(pk=project.pk).values(*DECLARED_FIELDS).first()
    if stored is None or all(stored[f] == getattr(project, f) for f in DECLARED_FIELDS):
        return False
    mark_pending(project)
    return True


def mark_pending(project: Project) -> None:
    project.verification = Verification.PENDING
    project.verified_by = None
    project.verified_at = None


@transaction.atomic
def projects_verify(*, projects, by=None) -> int:
    """待核实 → 已核实, per project or for a list at once; all or nothing, every refusal named."""
    if by is not None:
        require(permissions.can_verify(by))
    chosen = list(
        Project.objects.filter(pk__in=[getattr(p, "pk", p) for p in projects]).select_related("entity")
    )
    chosen = [p for p in chosen if p.verification == Verification.PENDING]
    if not chosen:
        raise ValidationError(facts.NOTHING_SELECTED, code="nothing")
    for year in sorted({p.year for p in chosen}):
        ensure_unlocked(year)
    now = timezone.now()
    errors = []
    for project in chosen:
        if project.in_statistics is None:
            errors.append(facts.NO_STATISTICS.format(name=_label(project), year=project.year))
            continue
        project.verification = Verification.VERIFIED
        project.verified_by = by
        project.verified_at = now
        try:
            project.full_clean()  # what is verified obeys every entry rule (计划总投资 of a 产业项目 included)
        except ValidationError as exc:
            errors.append(facts.NOT_VERIFIABLE.format(name=_label(project), errors="；".join(exc.messages)))
    if errors:
        raise ValidationError(errors, code="not_verifiable")
    for project in chosen:
        project.updated_at = now  # bulk writes do not apply auto_now
    bulk_update_with_history(
        chosen,
        Project,
        [*PENDING_FIELDS, "updated_at"],
        default_user=by,
        default_change_reason=VERIFY_REASON,
        default_date=now,
    )
    audit.record(AuditEvent.Kind.CHANGE, user=by, target="百大项目核实", detail=f"核实 {len(chosen)} 个项目")
    return len(chosen)


# --- the 市统计局 入统项目清单 ---------------------------------------------------------------------------


def statistics_refusal(year: int) -> str:
    """Why the year's statistics cannot be imported now ("" when they can)."""
    locked = locked_message(year)
    if locked:
        return locked
    if year > timezone.localdate().year:
        return facts.FUTURE_STATISTICS.format(year=year)
    return ""


@transaction.atomic
def statistics_apply(plan, *, by=None) -> dict[str, int]:
    """Store the statistics figures of every project of the year (a project missing from the list: 未入统).

    A verified project whose scored figure changes goes back to 待核实: 发改委经办 confirms the new fact.
    """
    if by is not None:
        require(permissions.can_verify(by))
    message = statistics_refusal(plan.year)
    if message:
        raise ValidationError(message, code="locked")
    now = timezone.now()
    changed, reopened = [], 0
    for row in plan.rows:
        if not row.changes:
            continue
        project = row.project
        if project.verification == Verification.VERIFIED:
            mark_pending(project)
            reopened += 1
        project.in_statistics = row.in_statistics
        project.statistics_investment = row.investment
        project.statistics_at = now
        project.updated_at = now
        changed.append(project)
    if changed:
        bulk_update_with_history(
            changed,
            Project,
            [*STATISTICS_FIELDS, *PENDING_FIELDS],
            default_user=by,
            default_change_reason=STATISTICS_REASON,
            default_date=now,
        )
    counts = {
        "changed": len(changed),
        "differences": len(plan.differences),
        "missing": len(plan.missing),
        "reopened": reopened,
    }
    audit.record(
        AuditEvent.Kind.CHANGE,
        user=by,
        target=f"{plan.year}年度入统项目清单导入",
        detail=f"更新 {counts['changed']} 个项目，差异 {counts['differences']} 个，未入统 {counts['missing']} 个",
    )
    return counts
