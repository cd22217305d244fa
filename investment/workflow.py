"""The steps of the 招商引资任务指标与目标责任考核, each declared once (双政办发〔2020〕16号 and its 附件1 考核办法).

任务指标: 草稿 → 已下达 (市政府办公室, 16号 正文). 自评申报: 填报中 → 已申报，待审核 (the unit's 填报员, 附件1
第七条(一)) → 已审核 (考核组, 第七条(二)). 通报: 未通报 → 已通报 (考核组办公室, 第五条, 第七条(四)) → 已撤回 (考核组办公室, with a reason; a new 通报 is a
new version). 激励资金分配意见:
草拟中 → 待审批 (考核组, 第七条(四)) → 已批准 (市政府办公室). The gazette names no step that sends a submitted
report or proposal back, so none is declared.

The detail pages' actions, the home page's 待办, the "待办方" line, the permission decisions and the services all
read this module.
"""

from __future__ import annotations

from orgs.roles import Role
from orgs.workflow import Step, Workflow

from .models import EvaluationStatus as E
from .models import ProposalStatus as P
from .models import PublicationStatus as N
from .models import TargetStatus as T

# ---------------------------------------------------------------------------------------------------------
# 任务指标
# ---------------------------------------------------------------------------------------------------------
ALREADY_ISSUED = "该版本任务指标已下达（只读），不能重复下达；如需调整，请新建调整版本并说明原因。"

# 16号 正文: "经市政府同意，现将2020年招商引资工作目标予以分解下达" — 市政府办公室 issues the year's targets, with
# its document number and date; an issued version is read-only, a change is a new version.
ISSUE_TARGETS = Step(
    "issue",
    "下达",
    frozenset({T.DRAFT}),
    T.ISSUED,
    (Role.CITY_OFFICE,),
    "任务指标已下达，已通知各单位。",
    ALREADY_ISSUED,
)

TARGETS = Workflow(
    steps=(ISSUE_TARGETS,),
    turn={T.DRAFT: (Role.CITY_OFFICE, "市政府办公室（审定下达）")},
)

# ---------------------------------------------------------------------------------------------------------
# 自评申报 and 自评审核
# ---------------------------------------------------------------------------------------------------------
EVALUATION_LOCKED = "自评报告已申报，本年度项目和报告不能再修改。"
NOT_DRAFT = "自评报告已申报，不能再修改或重复申报。"
NOT_UNDER_REVIEW = "该自评报告不在待审核状态。"

DRAFT = frozenset({E.DRAFT})
UNDER_REVIEW = frozenset({E.SUBMITTED})

# 第七条(一) 自评申报: until it is submitted, the unit keeps its report (and its project list) up to date.
EDIT_EVALUATION = Step(
    "edit", "修改自评报告", DRAFT, None, (Role.REPORTER,), "自评报告已保存。", EVALUATION_LOCKED
)
# 第七条(一): 当年12月25日前，各县（区）、各单位向考核组办公室提交自评报告 (with its evidence, 第六条(二)).
SUBMIT_EVALUATION = Step(
    "submit", "申报", DRAFT, E.SUBMITTED, (Role.REPORTER,), "自评报告已申报，已通知考核组审核。", NOT_DRAFT
)
# 第七条(二) 自评审核: 考核组对…提交的自评报告进行审核 — value by value (accepted, or corrected with a comment).
REVIEW_VALUE = Step("review", "审核指标", UNDER_REVIEW, None, (Role.ASSESSOR,), "", NOT_UNDER_REVIEW)
# 第七条(五): the 市直承标单位's 外来投资产业项目情况 is the 市委考评办 result, entered as given during the review.
RECORD_KPB = Step(
    "kpb",
    "录入市委考评办考核结果",
    UNDER_REVIEW,
    None,
    (Role.ASSESSOR,),
    "已录入市委考评办考核结果。",
    NOT_UNDER_REVIEW,
)
# 第七条(二): the review ends when every value has its verdict; the unit is told.
COMPLETE_REVIEW = Step(
    "complete", "完成审核", UNDER_REVIEW, E.REVIEWED, (Role.ASSESSOR,), "审核已完成，已通知申报单位。"
)

EVALUATION = Workflow(
    steps=(EDIT_EVALUATION, SUBMIT_EVALUATION, REVIEW_VALUE, RECORD_KPB, COMPLETE_REVIEW),
    turn={
        # "{unit}" is the self-evaluation's unit: its own 填报员 is the one it waits for.
        E.DRAFT: (Role.REPORTER, "{unit} 填报员（申报）"),
        E.SUBMITTED: (Role.ASSESSOR, "考核组（审核）"),
    },
)

# ---------------------------------------------------------------------------------------------------------
# 通报
# ---------------------------------------------------------------------------------------------------------
ALREADY_PUBLISHED = "该年度考核结果已通报。"

# 第五条: 市经合局对各县（区）年末目标完成情况进行通报; 第七条(四): 综合评分 … 并通报全市.
PUBLISH = Step(
    "publish",
    "通报",
    frozenset({N.DRAFT}),
    N.PUBLISHED,
    (Role.ASSESSOR,),
    "考核结果已通报，已通知各单位。",
    ALREADY_PUBLISHED,
)

NOT_PUBLISHED_NOW = "该通报不是已通报状态，不能撤回。"

# Spec decision (frozen results): a published 通报 is withdrawn (撤回) by the 考核组办公室 with a reason; it stays
# readable as published, and publishing the year again is a new version.
WITHDRAW = Step(
    "withdraw",
    "撤回通报",
    frozenset({N.PUBLISHED}),
    N.WITHDRAWN,
    (Role.ASSESSOR,),
    "通报已撤回；该年度可调整后重新通报（新版本）。",
    NOT_PUBLISHED_NOW,
)

PUBLICATION = Workflow(
    steps=(PUBLISH, WITHDRAW),
    turn={N.DRAFT: (Role.ASSESSOR, "考核组（通报考核结果）")},
)

# ---------------------------------------------------------------------------------------------------------
# 激励资金分配意见
# ---------------------------------------------------------------------------------------------------------
# 第七条(四): 考核组 … 拟订激励资金分配意见 — drafted from the published scores, then sent for approval.
SUBMIT_PROPOSAL = Step(
    "submit",
    "提交审批",
    frozenset({P.DRAFT}),
    P.SUBMITTED,
    (Role.ASSESSOR,),
    "已提交市政府办公室审批。",
)
# The gazette says 拟订 (a proposal): 市政府办公室 approves it, never the person who drafted it.
APPROVE_PROPOSAL = Step(
    "approve",
    "批准",
    frozenset({P.SUBMITTED}),
    P.APPROVED,
    (Role.CITY_OFFICE,),
    "分配意见已批准，已通知考核组。",
)

PROPOSAL = Workflow(
    steps=(SUBMIT_PROPOSAL, APPROVE_PROPOSAL),
    turn={
        P.DRAFT: (Role.ASSESSOR, "考核组（提交审批）"),
        P.SUBMITTED: (Role.CITY_OFFICE, "市政府办公室（审批）"),
    },
)


def waiting_for(workflow: Workflow, status: str, **names) -> str:
    """Whose turn it is in ``status``, with the names the turn's text leaves open (``unit``)."""
    return workflow.waiting_for(status).format(**names)
