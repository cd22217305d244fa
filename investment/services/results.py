"""通报 of the year's results and the 激励资金分配意见 drafted from them (附件1 第五条, 第七条(四)).

Every step asks ``permissions`` first, then changes state through ``orgs.workflow.transition``
(``common._step``), then writes the log row and the notification in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization
from orgs.notifications import notify
from orgs.roles import Role
from orgs.workflow import require, serialised

from .. import notice, permissions, rules, selectors, workflow
from ..models import (
    IncentiveLine,
    IncentiveProposal,
    ProposalStatus,
    Publication,
    PublicationStatus,
    ResultRow,
    SpotCheck,
)
from .common import CONFIRM_UNSUBMITTED, NOT_PUBLISHED, _log, _save, _step


def unsubmitted_confirmation(organizations: list[Organization]) -> str:
    names = "、".join(o.name for o in organizations)
    return CONFIRM_UNSUBMITTED.format(count=len(organizations), names=names)


@serialised
@transaction.atomic
def publication_publish(*, year: int, by, confirmed_unsubmitted=()) -> Publication:
    """通报: freeze the ranked scores of ``year`` (per group), with each score's derivation, and tell every unit.

    Only the 考核组办公室 publishes (第五条). After a withdrawal the year is published again as a new version;
    the withdrawn version keeps its rows and stays readable.

    A unit that never submitted its self-evaluation is listed as 未申报, without score or rank; publishing
    with such units needs the publisher to have confirmed each of them by id (``confirmed_unsubmitted``),
    so a unit that stopped submitting after the page was shown is asked about again. The year's publication
    is claimed (未通报 → 已通报) before its rows are written, so two publishers at once publish once.
    """
    publication = selectors.publication_to_publish(year)
    require(permissions.can_publish(by, publication))
    scores = selectors.year_scores(year)
    missing = selectors.never_submitted(scores)
    problem = rules.publish_problem(len(scores), len(missing))
    if problem:
        raise ValidationError(problem, code="no_submission")
    confirmed = {int(pk) for pk in confirmed_unsubmitted}
    if any(o.pk not in confirmed for o in missing):
        raise ValidationError(unsubmitted_confirmation(missing), code="confirm_unsubmitted")
    if publication.pk is None:
        publication, _ = Publication.objects.get_or_create(year=year, edition=publication.edition)
    publication = _step(
        publication,
        workflow.PUBLISH,
        by=by,
        extra={"published_at": timezone.now(), "published_by": by},
    )
    missing_ids = {o.pk for o in missing}
    falsified = set(SpotCheck.objects.filter(year=year, falsified=True).values_list("supplier_id", flat=True))
    publication.rows.all().delete()
    for group in (selectors.COUNTY_GROUP, selectors.MUNICIPAL_GROUP):
        for unit in (s for s in scores if s.group == group and s.organization.pk in missing_ids):
            _save(
                ResultRow(
                    publication=publication,
                    organization=unit.organization,
                    group=group,
                    not_submitted=True,
                    falsified=unit.organization.pk in falsified,
                ),
                by,
            )
        entries = [
            (s, s.total or Decimal(0))
            for s in scores
            if s.group == group and s.organization.pk not in missing_ids
        ]
        for unit, value, position in rules.rank(entries):
            _save(
                ResultRow(
                    publication=publication,
                    organization=unit.organization,
                    group=group,
                    score=value,
                    rank=position,
                    is_late=bool(unit.evaluation and unit.evaluation.is_late),
                    falsified=unit.organization.pk in falsified,
                    lines=selectors.snapshot_lines(unit),
                ),
                by,
            )
    notice.issue(publication, by=by)  # the 通报 goes out under the 市经合局's next number
    notify(
        "investment.published",
        text=f"{year}年度招商引资目标责任考核结果已通报。",
        url=reverse("investment:results", args=[year]),
        key=f"publication:{publication.pk}",
        roles=(Role.REPORTER, Role.LEADER, Role.CITY_OFFICE),
    )
    return publication


@serialised
@transaction.atomic
def publication_withdraw(*, publication: Publication, reason: str, by) -> Publication:
    """撤回 a published 通报 (spec decision: frozen results): the 考核组办公室, with a reason. The withdrawn
    version stays readable as published; the year may then be adjusted and published again (a new version)."""
    require(permissions.can_withdraw(by, publication))
    if not reason.strip():
        raise ValidationError({"reason": permissions.WITHDRAW_REASON_REQUIRED})
    current = _step(
        publication,
        workflow.WITHDRAW,
        by=by,
        note=reason.strip(),
        extra={"withdrawn_at": timezone.now(), "withdrawn_by": by, "withdraw_reason": reason.strip()},
    )
    notify(
        "investment.withdrawn",
        text=f"{current.year}年度招商引资目标责任考核通报（第{current.edition}版）已撤回：{reason.strip()}",
        url=reverse("investment:results_version", args=[current.year, current.edition]),
        key=f"publication:{current.pk}:withdrawn",
        roles=(Role.REPORTER, Role.LEADER, Role.CITY_OFFICE),
    )
    return current


@transaction.atomic
def proposal_create(
    *, year: int, county_pool_wan: Decimal, municipal_pool_wan: Decimal, note: str = "", by
) -> IncentiveProposal:
    """激励资金分配意见 drafted from the 通报 in force: one pool per group (表一 县（区）, 表二 市直承标单位),
    each split by score within its group, to 0.01 万元 by the largest remainder so each pool sums exactly."""
    require(permissions.can_draft_proposal(by))
    publication = Publication.objects.filter(year=year, status=PublicationStatus.PUBLISHED).first()
    if publication is None:
        raise ValidationError(NOT_PUBLISHED)
    county_pool_wan, municipal_pool_wan = Decimal(county_pool_wan), Decimal(municipal_pool_wan)
    proposal = IncentiveProposal(
        year=year,
        pool_wan=county_pool_wan + municipal_pool_wan,
        county_pool_wan=county_pool_wan,
        municipal_pool_wan=municipal_pool_wan,
        publication=publication,
        note=note,
        created_by=by,
    )
    _save(proposal, by)
    rows = list(selectors.result_rows(publication).filter(not_submitted=False))
    pools = {selectors.COUNTY_GROUP: county_pool_wan, selectors.MUNICIPAL_GROUP: municipal_pool_wan}
    for row, group, amount in rules.allocate_by_group(pools, [(r, r.group, r.score) for r in rows]):
        _save(
            IncentiveLine(
                proposal=proposal,
                organization=row.organization,
                group=group,
                score=row.score,
                amount_wan=amount,
            ),
            by,
        )
    _log(proposal, "", ProposalStatus.DRAFT, by)
    return proposal


@serialised
@transaction.atomic
def proposal_submit(*, proposal: IncentiveProposal, by) -> IncentiveProposal:
    """考核组: 草拟中 → 待审批; 市政府办公室 is told."""
    require(permissions.can_submit_proposal(by, proposal))
    current = _step(proposal, workflow.SUBMIT_PROPOSAL, by=by)
    notify(
        "investment.proposal_submitted",
        text=f"{current.year}年度招商引资激励资金分配意见待审批。",
        url=reverse("investment:proposal_detail", args=[current.pk]),
        key=f"proposal:{current.pk}:submitted",
        roles=(Role.CITY_OFFICE,),
    )
    return current


def _four_eyes_guard(by):
    def guard(current: IncentiveProposal) -> None:
        require(permissions.four_eyes(by, current))

    return guard


@serialised
@transaction.atomic
def proposal_approve(*, proposal: IncentiveProposal, by) -> IncentiveProposal:
    """市政府办公室: 待审批 → 已批准, never by the person who drafted it (four-eyes in the UPDATE itself)."""
    require(permissions.can_approve_proposal(by, proposal))
    current = _step(
        proposal,
        workflow.APPROVE_PROPOSAL,
        by=by,
        extra={"approved_by": by, "approved_at": timezone.now()},
        exclude={"created_by": by},
        guard=_four_eyes_guard(by),
    )
    notify(
        "investment.proposal_approved",
        text=f"{current.year}年度招商引资激励资金分配意见已批准。",
        url=reverse("investment:proposal_detail", args=[current.pk]),
        key=f"proposal:{current.pk}:approved",
        roles=(Role.ASSESSOR,),
    )
    return current
