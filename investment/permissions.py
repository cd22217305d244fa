"""Who may do what in the 招商引资目标责任考核, and why not (双政办发〔2020〕16号 附件1 第五条–第七条).

One function per action, ``(user, obj) -> Decision``, built from the step declared in ``workflow`` (its role,
then its states) plus what the step itself needs (the unit's own report, every value reviewed, four-eyes).
The page shows the reason next to a disabled button, the action view asks the same function before it reads
the form, and the service refuses with the same reason (``orgs.workflow.require``), so all three agree.
"""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, user_organization
from orgs.models import OrganizationKind
from orgs.roles import Role, has_role
from orgs.workflow import Step, first_refusal

from . import workflow
from .models import (
    EvaluationStatus,
    IncentiveProposal,
    Publication,
    PublicationStatus,
    ReviewStatus,
    SelfEvaluation,
    SpotCheck,
    TargetSet,
    TargetStatus,
)

NOT_OWN_UNIT = "只有本单位的填报员可以申报本单位的自评报告（第七条(一)）。"
NOT_DRAFT = workflow.NOT_DRAFT
NOT_ASSESSOR = "只有考核组（市经合局、市统计局）可以进行此操作（第六条(一)）。"
#: 第五条 / 第七条(一): 考核组办公室 is 市经合局 — it receives the reports, enters the 考评办 result, publishes.
ASSESSMENT_OFFICE = "市经合局"
NOT_OFFICE = (
    "只有考核组办公室（市经合局）的考核组人员可以进行此操作（第五条：由市经合局进行通报）；"
    "请由市经合局的考核组人员办理。"
)
YEAR_FROZEN = (
    "{year}年度考核结果已通报，任务指标、自评审核和得分已冻结；"
    "如需调整，须由考核组办公室（市经合局）先撤回通报并说明原因。"
)
WITHDRAW_REASON_REQUIRED = "撤回通报须说明原因。"
REVIEWS_PENDING = "尚有指标未审核，不能完成审核。"
KPB_REQUIRED = "市直承标单位须先录入市委考评办考核结果，才能完成审核（第七条(五)）。"
KPB_ONLY_MUNICIPAL = "市委考评办结果只适用于市直承标单位。"
NO_TARGETS = "该年度没有已下达的任务指标。"
STILL_UNDER_REVIEW = "尚有已申报的自评报告未完成审核，不能通报。"
OWN_PROPOSAL = "不能审批本人拟订的分配意见：须由市政府办公室的另一位人员审批。"


def _state(step: Step, obj) -> Decision:
    return step.state_decision(obj.status, obj.get_status_display())


def _step(user, step: Step, obj) -> Decision:
    """The step's role, then its states (the object's current status, in Chinese)."""
    return first_refusal(step.role_decision(user), _state(step, obj))


def _office(user) -> Decision:
    """考核组办公室: a 考核组 account of 市经合局 (第五条; 市统计局 is a member of the group, not its office)."""
    organization = user_organization(user)
    if has_role(user, Role.ASSESSOR) and organization is not None and organization.name == ASSESSMENT_OFFICE:
        return ALLOW
    return deny(NOT_OFFICE)


def published_version(year: int) -> Publication | None:
    """The year's 通报 in force (published, not withdrawn), if any."""
    return Publication.objects.filter(year=year, status=PublicationStatus.PUBLISHED).first()


def not_frozen(year: int) -> Decision:
    """Spec decision (frozen results): a published year's targets, evaluations and scores do not move."""
    return deny(YEAR_FROZEN.format(year=year)) if published_version(year) is not None else ALLOW


def _assessor(user) -> Decision:
    # 第六条(一): 由市经合局、市统计局组成考核组; 第五条: 市经合局 … 进行通报.
    if has_role(user, Role.ASSESSOR):
        return ALLOW
    return deny(NOT_ASSESSOR)


# --- 任务指标 ------------------------------------------------------------------------------------------------


def can_issue_targets(user, target_set: TargetSet) -> Decision:
    """下达 (16号 正文): 市政府办公室, while the version is a draft and the year's 通报 is not in force."""
    return first_refusal(_step(user, workflow.ISSUE_TARGETS, target_set), lambda: not_frozen(target_set.year))


def can_revise_targets(user, year: int) -> Decision:
    """A new version of a year's targets: refused while the year's 通报 is in force."""
    return first_refusal(workflow.ISSUE_TARGETS.role_decision(user), lambda: not_frozen(year))


# --- 自评申报 and 自评审核 ---------------------------------------------------------------------------------


def _own_unit(user, evaluation: SelfEvaluation) -> Decision:
    """第七条(一): each unit submits its own report — its own 填报员."""
    if user_organization(user) == evaluation.organization:
        return ALLOW
    return deny(NOT_OWN_UNIT)


def can_edit_evaluation(user, evaluation: SelfEvaluation) -> Decision:
    """The report is the unit's own until it is submitted."""
    step = workflow.EDIT_EVALUATION
    return first_refusal(step.role_decision(user), _own_unit(user, evaluation), _state(step, evaluation))


def can_submit_evaluation(user, evaluation: SelfEvaluation) -> Decision:
    """自评申报 (第七条(一)): the unit's own 填报员, while the report is still a draft."""
    step = workflow.SUBMIT_EVALUATION
    return first_refusal(
        step.role_decision(user),
        _own_unit(user, evaluation),
        _state(step, evaluation),
        lambda: not_frozen(evaluation.year),
    )


def can_review(user, evaluation: SelfEvaluation) -> Decision:
    """自评审核 of one value (第七条(二)): the 考核组, while the report is under review."""
    return first_refusal(_step(user, workflow.REVIEW_VALUE, evaluation), lambda: not_frozen(evaluation.year))


def can_record_kpb(user, evaluation: SelfEvaluation) -> Decision:
    """第七条(五): the 市委考评办 result, for a 市直承标单位 under review, entered by the 考核组办公室 (spec
    decision: the 考核组办公室 (市经合局) enters it with the 考评办 document's number and date)."""
    municipal = evaluation.organization.kind != OrganizationKind.COUNTY
    return first_refusal(
        _step(user, workflow.RECORD_KPB, evaluation),
        lambda: _office(user),
        ALLOW if municipal else deny(KPB_ONLY_MUNICIPAL),
        lambda: not_frozen(evaluation.year),
    )


def _reviewed(evaluation: SelfEvaluation) -> Decision:
    if evaluation.organization.kind != OrganizationKind.COUNTY:
        return ALLOW if evaluation.kpb_score is not None else deny(KPB_REQUIRED)
    if evaluation.reviews.filter(status=ReviewStatus.PENDING).exists():
        return deny(REVIEWS_PENDING)
    return ALLOW


def can_complete_review(user, evaluation: SelfEvaluation) -> Decision:
    """完成审核 (第七条(二)): the 考核组, once every value has its verdict (or the 市委考评办 result is in)."""
    return first_refusal(
        _step(user, workflow.COMPLETE_REVIEW, evaluation),
        lambda: not_frozen(evaluation.year),
        lambda: _reviewed(evaluation),
    )


def can_record_spot_check(user, spot_check: SpotCheck | None = None) -> Decision:
    """实地抽查 (第七条(三)) is recorded by the 考核组, not into a published year."""
    if spot_check is not None and spot_check.year:
        return first_refusal(_assessor(user), lambda: not_frozen(spot_check.year))
    return _assessor(user)


def can_edit_parameters(user, year: int) -> Decision:
    """The year's deadline, thresholds and weights: the 考核组, not once the year's 通报 is in force."""
    return first_refusal(_assessor(user), lambda: not_frozen(year))


def can_enter_base(user, year: int) -> Decision:
    """上年基数 (spec decision on 增幅): the 考核组, for an assessed year not yet published (``year`` is the
    assessed year; the base is the year before)."""
    return first_refusal(_assessor(user), lambda: not_frozen(year))


# --- 通报 ------------------------------------------------------------------------------------------------


def _targets_issued(year: int) -> Decision:
    from .selectors import current_targets  # the selectors import the models this module reads

    return ALLOW if current_targets(year) is not None else deny(NO_TARGETS)


def _all_reviewed(year: int) -> Decision:
    pending = SelfEvaluation.objects.filter(year=year, status=EvaluationStatus.SUBMITTED).exists()
    return deny(STILL_UNDER_REVIEW) if pending else ALLOW


def can_publish(user, publication: Publication) -> Decision:
    """通报 (第五条, 第七条(四)) of a year's results: the 考核组办公室 (市经合局), after every submitted report is
    reviewed; after a withdrawal, as a new version.

    ``publication`` may be unsaved (``Publication(year=…)``): that version has not been published yet.
    """
    year = publication.year
    return first_refusal(
        _step(user, workflow.PUBLISH, publication),
        lambda: _office(user),
        lambda: _targets_issued(year),
        lambda: _all_reviewed(year),
    )


def can_withdraw(user, publication: Publication) -> Decision:
    """撤回 a published 通报 (spec decision): the 考核组办公室, with a reason (the service checks the reason)."""
    return first_refusal(_step(user, workflow.WITHDRAW, publication), lambda: _office(user))


# --- 激励资金分配意见 ------------------------------------------------------------------------------------------


def can_submit_proposal(user, proposal: IncentiveProposal) -> Decision:
    """第七条(四): the 考核组 sends the drafted proposal for approval."""
    return _step(user, workflow.SUBMIT_PROPOSAL, proposal)


def four_eyes(user, proposal: IncentiveProposal) -> Decision:
    """The person who drafted the proposal never approves it (on the user, not the role)."""
    if proposal.created_by_id is not None and proposal.created_by_id == getattr(user, "pk", None):
        return deny(OWN_PROPOSAL)
    return ALLOW


def can_approve_proposal(user, proposal: IncentiveProposal) -> Decision:
    """市政府办公室 approves a submitted proposal drafted by someone else."""
    return first_refusal(_step(user, workflow.APPROVE_PROPOSAL, proposal), four_eyes(user, proposal))


# --- the unit's project list and its evidence (附件1 第三条) ---------------------------------------------

NOT_REPORTER = "项目清单和佐证材料由本单位的填报员填报。"
NO_ORGANIZATION = "您的账号尚未关联单位。"
TARGETS_READ_ONLY = "任务指标已下达，不能修改；如需调整，请新建调整版本并说明原因。"


def evaluation_open(organization, year: int) -> Decision:
    """A unit's list of the year stays open while its self-evaluation is not submitted (第七条(一))."""
    locked = SelfEvaluation.objects.filter(organization=organization, year=year).exclude(
        status=EvaluationStatus.DRAFT
    )
    return deny(workflow.EVALUATION_LOCKED) if locked.exists() else ALLOW


def can_enter_unit_data(user) -> Decision:
    """The page's question before it knows the record: a 填报员 with a unit."""
    if not has_role(user, Role.REPORTER):
        return deny(NOT_REPORTER)
    return ALLOW if user_organization(user) is not None else deny(NO_ORGANIZATION)


def can_write_projects(user, organization, year: int) -> Decision:
    """The unit's own 填报员 adds, changes, deletes or imports its projects while the year is open."""
    own = user_organization(user)
    return first_refusal(
        can_enter_unit_data(user),
        ALLOW if own is not None and own.pk == getattr(organization, "pk", None) else deny(NOT_OWN_UNIT),
        lambda: evaluation_open(organization, year),
    )


def can_open_evaluation(user, organization) -> Decision:
    """The unit's 填报员 starts its own self-evaluation (its report, then evidence and 申报)."""
    own = user_organization(user)
    return first_refusal(
        workflow.EDIT_EVALUATION.role_decision(user),
        ALLOW if own is not None and own.pk == getattr(organization, "pk", None) else deny(NOT_OWN_UNIT),
    )


# --- targets and proposals: drafts before their declared steps ------------------------------------------


def can_edit_targets(user, target_set: TargetSet) -> Decision:
    """表（一）/表（二） rows change only on a draft, by those who 下达 it (市政府办公室)."""
    return first_refusal(
        workflow.ISSUE_TARGETS.role_decision(user),
        ALLOW if target_set.status == TargetStatus.DRAFT else deny(TARGETS_READ_ONLY),
    )


def can_draft_proposal(user) -> Decision:
    """激励资金分配意见 are drafted by the 考核组 (第八条)."""
    return workflow.SUBMIT_PROPOSAL.role_decision(user)
