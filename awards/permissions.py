"""Who may do what in the award year, and why not — one function per action, asked by every path.

The page shows a disabled action with the reason; the service refuses with the same reason (``require``).
"""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, sees_everything, user_organization
from orgs.roles import Role, has_role
from orgs.workflow import first_refusal

from . import workflow
from .models import Allocation, AllocationLine, AllocationStatus, Clawback, ClawbackStatus, Project

SUPERSEDED = "该版本已被第{revision}版取代，只读：不能再拨付、调整、取消资格或收回。"
ARCHIVED = "该分配为公报存档（{source}），不能调整或重新审批；如需更正请新建修订版本。"
FOUR_EYES = "不能审批自己提交的分配：须由另一位发改委审批人员审批。"
DISQUALIFY_SUBMITTED = "分配已提交审批：请审批人退回后再取消资格，或审批后按审批后程序取消。"
ADJUST_NOT_ALLOWED = workflow.ADJUST.wrong_state
REVISE_NOT_ALLOWED = workflow.REVISE.wrong_state
ALREADY_DISQUALIFIED = "该单位已被取消奖励资格。"
DISQUALIFIED_NO_PAYMENT = "该单位已被取消奖励资格，不能拨付。"
ALREADY_DISBURSED = "该单位本版奖励资金已登记拨付。"
NOTHING_TO_PAY = "该单位已足额拨付（或分配金额为0），无需拨付。"
CLAWBACK_DONE = "该笔收回已登记完成或已撤销。"
TARGETS_BY_FGW = "产业项目目标（开复工任务目标个数、计划完成投资任务目标额）由市发展改革委下达，单位不能修改（双政办发〔2020〕15号 四(三)）。"
NOT_OWN_PROJECT = "只能填报本单位的项目。"
PROJECTS_BY_UNITS = "项目由责任主体的填报员填报；发改委经办可更正任一单位的项目。"
YEAR_READ_ONLY = "{year}年度奖励资金分配{status}：该年度的项目数据已锁定，只能查看，不能修改。"
CORRECTION_REASON_REQUIRED = "更正其他单位的项目须填写更正理由。"
NOTHING_IN_AWARDS = "百大项目建设奖励面向各单位填报员、市发展改革委、市政府办公室、市财政局和领导；您的角色在本系统没有可查看或办理的事项。"


def _latest_revision(allocation: Allocation) -> int:
    cached = getattr(allocation, "_latest_revision", None)
    if cached is None:
        latest = Allocation.objects.values_list("revision", flat=True).latest_revision(allocation.year)
        cached = latest or allocation.revision
        allocation._latest_revision = cached
    return cached


def is_superseded(allocation: Allocation) -> bool:
    return _latest_revision(allocation) > allocation.revision


def latest_only(allocation: Allocation) -> Decision:
    """Only the latest revision acts; every earlier one is read-only (awards spec, "Integrity of the money")."""
    if is_superseded(allocation):
        return deny(SUPERSEDED.format(revision=_latest_revision(allocation)))
    return ALLOW


def _not_archived(allocation: Allocation) -> Decision:
    return deny(ARCHIVED.format(source=allocation.source)) if allocation.source else ALLOW


def _step(user, step, allocation: Allocation) -> Decision:
    return first_refusal(
        step.role_decision(user),
        latest_only(allocation),
        step.state_decision(allocation.status, allocation.get_status_display()),
    )


def _fresh(allocation: Allocation, step) -> Decision:
    """Figures that no longer follow from the data never reach an approver (checked once per request)."""
    from .services.scoring import is_stale, stale_reason

    cached = getattr(allocation, "_stale_reason", None)
    if cached is None:
        cached = stale_reason(allocation, "{action}") if is_stale(allocation) else ""
        allocation._stale_reason = cached
    return deny(cached.replace("{action}", step.label)) if cached else ALLOW


# --- the system as a whole -------------------------------------------------------------------------------

#: Whoever has something to read or do in the award year: the units' 填报员 (their projects and scores),
#: 发改委 (entry, computing, approval), 市政府办公室 (批复), 市财政局 (拨付, 收回) and 领导 (read-only).
AWARD_ROLES = (Role.REPORTER, Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE, Role.LEADER)


def can_open_awards(user) -> Decision:
    """The system's start page and its menu entry (``orgs.menu`` asks this through the view's ``page_permission``):
    a role with nothing to see here is neither offered the entry nor shown an empty page."""
    return ALLOW if has_role(user, *AWARD_ROLES) else deny(NOTHING_IN_AWARDS)


# --- the allocation ---------------------------------------------------------------------------------------


def can_compute(user, year: int) -> Decision:
    """Compute is refused while the year is locked or any of its projects is 待核实 (naming each)."""
    from .services.entry import locked_message
    from .services.facts import unverified_refusal

    message = locked_message(year)
    return first_refusal(
        workflow.COMPUTE.role_decision(user),
        deny(message) if message else ALLOW,
        lambda: unverified_refusal(year),
    )


def can_submit(user, allocation: Allocation) -> Decision:
    step = workflow.SUBMIT
    return first_refusal(
        _step(user, step, allocation), _not_archived(allocation), lambda: _fresh(allocation, step)
    )


def can_return(user, allocation: Allocation) -> Decision:
    return _step(user, workflow.RETURN, allocation)


def four_eyes(user, allocation: Allocation) -> Decision:
    """双政办发〔2020〕14号 六: approved by a 发改委 leader who is not the submitter (on the user, not the role)."""
    if allocation.submitted_by_id is not None and allocation.submitted_by_id == getattr(user, "pk", None):
        return deny(FOUR_EYES)
    return ALLOW


def can_approve(user, allocation: Allocation) -> Decision:
    step = workflow.APPROVE
    return first_refusal(
        _step(user, step, allocation), four_eyes(user, allocation), lambda: _fresh(allocation, step)
    )


def can_record_city_approval(user, allocation: Allocation) -> Decision:
    step = workflow.CITY_APPROVAL
    return first_refusal(_step(user, step, allocation), lambda: _fresh(allocation, step))


def can_revise(user, allocation: Allocation) -> Decision:
    return _step(user, workflow.REVISE, allocation)


# --- a unit's line ----------------------------------------------------------------------------------------

NOT_OWN_LINE = "只能查看本单位的考核得分和奖励资金。"


def can_view_line(user, entity_id: int) -> Decision:
    """The readers of the allocation see every unit's line; a 填报员 sees its own unit's scores and money only.

    A refusal is another organization's object (the page answers 404); a role without either never gets here
    (403 from the view's roles).
    """
    if sees_everything(user, AllocationLine):
        return ALLOW
    own = user_organization(user)
    if has_role(user, Role.REPORTER) and own is not None and own.pk == entity_id:
        return ALLOW
    return deny(NOT_OWN_LINE)


def can_adjust(user, line: AllocationLine) -> Decision:
    allocation = line.allocation
    return first_refusal(_step(user, workflow.ADJUST, allocation), _not_archived(allocation))


def can_disqualify(user, line: AllocationLine) -> Decision:
    allocation = line.allocation
    submitted = allocation.status == AllocationStatus.SUBMITTED
    return first_refusal(
        workflow.DISQUALIFY.role_decision(user),
        latest_only(allocation),
        deny(DISQUALIFY_SUBMITTED) if submitted else ALLOW,
        workflow.DISQUALIFY.state_decision(allocation.status, allocation.get_status_display()),
        deny(ALREADY_DISQUALIFIED) if line.disqualified else ALLOW,
    )


def can_disburse(user, line: AllocationLine, to_pay: int | None = None) -> Decision:
    """市财政局 pays the difference between what 市政府 approved and what the unit has been paid."""
    from .selectors import balance_of

    def owed() -> Decision:
        amount = balance_of(line.allocation.year, line.entity_id).to_pay if to_pay is None else to_pay
        return ALLOW if amount > 0 else deny(NOTHING_TO_PAY)

    return first_refusal(
        _step(user, workflow.DISBURSE, line.allocation),
        deny(DISQUALIFIED_NO_PAYMENT) if line.disqualified else ALLOW,
        deny(ALREADY_DISBURSED) if line.disbursed else ALLOW,
        owed,
    )


def can_recover(user, clawback: Clawback) -> Decision:
    return first_refusal(
        workflow.RECOVER.role_decision(user),
        ALLOW if clawback.status == ClawbackStatus.PENDING else deny(CLAWBACK_DONE),
    )


# --- papers -----------------------------------------------------------------------------------------------

# 发改委 drafts the notice (双政办发〔2020〕14号 六); the 市政府办公室 issues it under its own 红头 and number.
NOTICE_ROLES = (Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE)
NOT_FGW = (
    "分配方案通知由市发展改革委拟稿、市政府办公室印发：只有发改委经办、发改委审批和市政府办公室可以下载。"
)
NOT_APPROVED = "{year}年度奖励资金分配尚未登记市政府批复，不能生成分配方案通知。"


def can_download_notice(user, allocation: Allocation) -> Decision:
    """The drafter (发改委, 14号 六) and the issuing office (市政府办公室, whose 红头 it carries), once
    市政府's 批复 is recorded (15号 五(二))."""
    if not has_role(user, *NOTICE_ROLES):
        return deny(NOT_FGW)
    if not allocation.city_document_no:
        return deny(NOT_APPROVED.format(year=allocation.year))
    return ALLOW


# --- data entry (14号 四(二) / 15号 四(三): 指标采集由市发展改革委牵头负责) ---------------------------


def year_open(year: int) -> Decision:
    """A year's project data may change until its latest revision leaves 草稿 (``services.locked_message``
    decides); the reason names the state the allocation is in, as its status reads."""
    from .services.entry import latest_allocation, locked_message

    if not locked_message(year):
        return ALLOW
    allocation = latest_allocation(year)
    return deny(YEAR_READ_ONLY.format(year=year, status=allocation.get_status_display()))


def can_set_targets(user) -> Decision:
    if has_role(user, Role.FGW_CLERK):
        return ALLOW
    return deny(TARGETS_BY_FGW)


def corrects_for_unit(user, project: Project) -> bool:
    """发改委经办 correcting a unit's project (a reason is kept in its history)."""
    return has_role(user, Role.FGW_CLERK) and not has_role(user, Role.REPORTER)


def can_edit_project(user, project: Project) -> Decision:
    if has_role(user, Role.FGW_CLERK):
        return ALLOW
    if not has_role(user, Role.REPORTER):
        return deny(PROJECTS_BY_UNITS)
    own = user_organization(user)
    if own is None or project.entity_id != own.pk:
        return deny(NOT_OWN_PROJECT)
    return ALLOW


# --- verified facts (14号 四(二): 指标采集由市发展改革委牵头负责，市统计局、市财政局配合) ---------------------


def can_verify(user) -> Decision:
    """发改委经办 verifies the units' declarations and imports the 市统计局 入统项目清单."""
    from .rules.facts import VERIFY_BY_FGW

    return ALLOW if has_role(user, Role.FGW_CLERK) else deny(VERIFY_BY_FGW)


# --- the pages of data entry and checking --------------------------------------------------------------

SCHEME_BY_FGW = "奖励方案参数由发改委经办设置。"
IMPORT_BY_UNITS = "项目数据由各单位填报员导入；发改委经办可为任一单位导入。"
RECONCILE_BY_FGW = "分配表核对由市发展改革委（经办、审批）进行。"


def can_set_scheme(user) -> Decision:
    return ALLOW if has_role(user, Role.FGW_CLERK) else deny(SCHEME_BY_FGW)


def can_create_project(user) -> Decision:
    """New projects come from the units' 填报员 (发改委经办 corrects existing ones)."""
    return ALLOW if has_role(user, Role.REPORTER) else deny(PROJECTS_BY_UNITS)


def can_import(user) -> Decision:
    """A unit's 填报员 imports its own rows (it needs its unit); 发改委经办 imports for every unit."""
    from orgs.access import NO_ORGANIZATION

    if has_role(user, Role.FGW_CLERK):
        return ALLOW
    if not has_role(user, Role.REPORTER):
        return deny(IMPORT_BY_UNITS)
    return ALLOW if user_organization(user) is not None else deny(NO_ORGANIZATION)


def can_reconcile(user) -> Decision:
    """Checking a published table against the rules reads the upload and writes nothing."""
    return ALLOW if has_role(user, Role.FGW_CLERK, Role.FGW_APPROVER) else deny(RECONCILE_BY_FGW)


# --- the home page's 待办: the user's next step on what stands, asked of the functions above -------------


def can_take_next_step(user, allocation: Allocation) -> Decision:
    """Whether the allocation, as it stands, waits for ``user``: the permission of the step its state offers
    (a draft: submitting it, or computing it again when the figures are stale). The 待办 asks this, so it
    lists exactly what the page lets the user do."""
    status = allocation.status
    if status == AllocationStatus.DRAFT:
        return first_refusal(
            workflow.SUBMIT.role_decision(user),
            lambda: can_submit(user, allocation) or can_compute(user, allocation.year),
        )
    if status == AllocationStatus.SUBMITTED:
        return can_approve(user, allocation)
    if status == AllocationStatus.APPROVED:
        return can_record_city_approval(user, allocation)
    if status == AllocationStatus.CITY_APPROVED:  # each unit's line is asked by ``can_disburse``
        return first_refusal(workflow.DISBURSE.role_decision(user), latest_only(allocation))
    return deny(WRONG_STATE_FOR_TODO)


WRONG_STATE_FOR_TODO = "该分配已完成拨付，无待办步骤。"


def takes_part_in_allocations(user) -> bool:
    """Whether any step of the allocation's workflow is the user's role's (one role check, no query)."""
    return any(step.role_decision(user) for step in workflow.ALLOCATION.steps)
