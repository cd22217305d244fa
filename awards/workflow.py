"""The award year's steps, declared once (双政办发〔2020〕14号 六; 15号 五).

草稿 → 已提交待审批 (发改委经办) → 发改委已审批 (发改委审批, never the submitter) → 已批复 (市政府办公室 records
市政府批复) → 已拨付 (市财政局, per unit). Buttons, the home page's 待办, the "waiting for" line, the permission
decisions and the services all read this module.
"""

from __future__ import annotations

from orgs.roles import Role
from orgs.workflow import Step, Workflow

from .models import AllocationStatus as S

DRAFT = frozenset({S.DRAFT})
PENDING = frozenset({S.DRAFT, S.SUBMITTED})
#: approved by 发改委 or later: the figures are frozen, a correction is a new revision.
APPROVED = frozenset({S.APPROVED, S.CITY_APPROVED, S.DISBURSED})
#: 市政府批复 recorded: money moves.
CITY_APPROVED = frozenset({S.CITY_APPROVED, S.DISBURSED})

COMPUTE = Step("compute", "计算得分和分配", DRAFT, None, (Role.FGW_CLERK,))
SUBMIT = Step(
    "submit", "提交审批", DRAFT, S.SUBMITTED, (Role.FGW_CLERK,), "已提交审批，已通知发改委审批人员。"
)
RETURN = Step(
    "return", "退回修改", frozenset({S.SUBMITTED}), S.DRAFT, (Role.FGW_APPROVER,), "已退回发改委经办修改。"
)
APPROVE = Step(
    "approve",
    "审批通过",
    frozenset({S.SUBMITTED}),
    S.APPROVED,
    (Role.FGW_APPROVER,),
    "已审批通过，已通知市政府办公室登记批复。",
)
CITY_APPROVAL = Step(
    "city_approval",
    "登记市政府批复",
    frozenset({S.APPROVED}),
    S.CITY_APPROVED,
    (Role.CITY_OFFICE,),
    "已登记市政府批复，已通知市财政局拨付。",
)
FINISH = Step("finish", "全部拨付完成", frozenset({S.CITY_APPROVED}), S.DISBURSED, (Role.FINANCE,))
REVISE = Step(
    "revise",
    "新建修订版本",
    APPROVED,
    None,
    (Role.FGW_CLERK,),
    "已新建修订版本（草稿），该年度数据已解锁。",
    "只有已审批的分配可以新建修订版本；草稿或待审批的分配请直接修改。",
)
ADJUST = Step(
    "adjust",
    "调整金额",
    PENDING,
    None,
    (Role.FGW_CLERK,),
    "分配金额已调整，计算金额和调整理由均已保留。",
    "只有审批前（草稿或待审批）的分配可以调整金额；已审批的分配请新建修订版本。",
)
DISQUALIFY = Step(
    "disqualify", "取消奖励资格", DRAFT | APPROVED, None, (Role.FGW_CLERK,), "已登记取消奖励资格。"
)
DISBURSE = Step("disburse", "拨付", frozenset({S.CITY_APPROVED}), None, (Role.FINANCE,), "已登记拨付。")
RECOVER = Step("recover", "登记收回", CITY_APPROVED, None, (Role.FINANCE,), "已登记收回。")

ALLOCATION = Workflow(
    steps=(
        COMPUTE,
        SUBMIT,
        RETURN,
        APPROVE,
        CITY_APPROVAL,
        FINISH,
        REVISE,
        ADJUST,
        DISQUALIFY,
        DISBURSE,
        RECOVER,
    ),
    turn={
        S.DRAFT: (Role.FGW_CLERK, "发改委经办（核对后提交审批）"),
        S.SUBMITTED: (Role.FGW_APPROVER, "发改委审批（审批或退回）"),
        S.APPROVED: (Role.CITY_OFFICE, "市政府办公室（登记市政府批复）"),
        S.CITY_APPROVED: (Role.FINANCE, "市财政局（逐单位拨付）"),
    },
)
