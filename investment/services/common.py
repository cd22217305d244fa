"""Shared pieces of the investment services: error messages, the step helper, the log row, history stamping."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model

from orgs.models import Organization
from orgs.workflow import CONCURRENT, ConcurrentChange, Step, transition

from .. import models, permissions, workflow
from ..models import TransitionLog

# One message for the page and the service: the refusals of a step are the permission's own.
EVALUATION_LOCKED = workflow.EVALUATION_LOCKED
NOT_UNDER_REVIEW = workflow.NOT_UNDER_REVIEW
ALREADY_PUBLISHED = workflow.ALREADY_PUBLISHED
ALREADY_ISSUED = workflow.ALREADY_ISSUED
REVIEWS_PENDING = permissions.REVIEWS_PENDING
KPB_ONLY_MUNICIPAL = permissions.KPB_ONLY_MUNICIPAL
NO_TARGETS = permissions.NO_TARGETS
STILL_UNDER_REVIEW = permissions.STILL_UNDER_REVIEW
OWN_PROPOSAL = permissions.OWN_PROPOSAL

TARGETS_READ_ONLY = permissions.TARGETS_READ_ONLY
REASON_REQUIRED = "本年度已有下达的任务指标，新建调整版本必须说明调整原因。"
DRAFT_EXISTS = "本年度已有未下达的草稿，请先完成或修改该草稿。"
DRAFTED_CONCURRENTLY = "已有新版本草稿"
DOCUMENT_REQUIRED = "下达须填写文号和下达日期。"
WEIGHT_OF_ANOTHER_YEAR = "权重表中有不属于该年度的行，未保存；请刷新页面后重试。"
REPORT_REQUIRED = models.REPORT_REQUIRED
EVIDENCE_REQUIRED = models.EVIDENCE_REQUIRED
CORRECTION_NEEDS_VALUE = "核减/更正须填写核定值。"
CORRECTION_NEEDS_COMMENT = "核减/更正须填写审核意见。"
NOT_PUBLISHED = "该年度考核结果尚未通报，不能拟订激励资金分配意见。"
SUPPLIER_REQUIRED = models.SUPPLIER_REQUIRED
NOT_ASSESSED = models.NOT_ASSESSED
STARTED_BEFORE_SIGNED = models.STARTED_BEFORE_SIGNED
# 第五条 / 第七条(四): the 通报 goes to every unit; those that never submitted are named before it goes out.
CONFIRM_UNSUBMITTED = (
    "以下{count}个单位未申报自评报告，通报中将列为“未申报”、不参加排名：{names}。请确认后再通报。"
)


def _log(obj: Model, old: str, new: str, by, note: str = "") -> None:
    TransitionLog.objects.create(
        subject=f"{obj._meta.model_name}:{obj.pk}", from_status=old, to_status=new, by=by, note=note[:300]
    )


def _log_step(current: Model, *, step: Step, by, before: str, note: str = "") -> None:
    """The log names the steps that move a record (a step that keeps its state is in its history only)."""
    if step.target is not None:
        _log(current, before, current.status, by, note)


def _save(obj, by, update_fields=None) -> None:
    obj.full_clean()
    obj._history_user = by
    obj.save(update_fields=update_fields)


def _step(
    obj: Model,
    step: Step,
    *,
    by,
    extra: dict | None = None,
    note: str = "",
    **kwargs,
):
    """Carry ``step`` out on ``obj`` through ``orgs.workflow.transition``, then write the app's log row.

    The caller has asked ``permissions`` about ``obj`` as the page showed it, so the step was open in that
    state: an UPDATE that finds the row in another state means someone moved it on meanwhile, and the user is
    told so (``CONCURRENT``). Returns the current row; ``obj`` is refreshed to it.
    """
    try:
        current = transition(obj, step, by=by, extra=extra, note=note, log=_log_step, **kwargs)
    except ConcurrentChange:
        raise
    except ValidationError as exc:
        if getattr(exc, "code", None) != "status":
            raise
        moved = type(obj).objects.get(pk=obj.pk)
        raise ConcurrentChange(
            CONCURRENT.format(status=moved.get_status_display()), code="concurrent"
        ) from exc
    obj.refresh_from_db()  # the caller's object shows the step done, as the returned one does
    return current


def _require_open(organization: Organization, year: int) -> None:
    decision = permissions.evaluation_open(organization, year)
    if not decision:
        raise ValidationError(decision.reason)
