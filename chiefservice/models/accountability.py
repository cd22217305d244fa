"""Accountability and exemption (第二十八条–第三十条, 附件4)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from orgs.validators import LONG_TEXT, SHORT_TEXT, validate_business_date

from .. import rules
from .roster import BUSINESS_OFFICE_READERS, Officer


class CaseStatus(models.TextChoices):
    OPEN = "open", "调查中"
    CLAIMED = "claimed", "已申请免责"
    DECIDED = "decided", "已决定"


class AccountabilityCase(models.Model):
    """第二十八条–第三十条, 附件4: visible to 营商办 and the officer's dispatching unit only."""

    officer = models.ForeignKey(
        Officer, verbose_name="当事人", on_delete=models.PROTECT, related_name="cases"
    )
    item = models.CharField("情形", max_length=4, choices=rules.CASE_ITEMS)
    facts = models.TextField("查证事实", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    evidence = models.FileField("证据材料", upload_to="chiefservice/cases/%Y/", blank=True)
    measures = models.TextField("问责措施", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    suggestion = models.TextField(
        "处理建议", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    status = models.CharField(
        "状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, editable=False
    )
    exemption_ground = models.CharField("免责情形", max_length=2, choices=rules.EXEMPTION_GROUNDS, blank=True)
    exemption_claim = models.TextField(
        "免责申请理由", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    # 第二十九条: claimed by the dispatching unit, decided by 营商办 — never by the same person.
    exemption_claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="免责申请人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    exemption_decision = models.CharField(
        "免责决定", max_length=20, choices=rules.EXEMPTION_DECISIONS, blank=True
    )
    exemption_reason = models.TextField(
        "免责决定理由", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    exemption_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="免责决定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decision = models.CharField("处理决定", max_length=20, choices=rules.DECISIONS, blank=True)
    decision_reason = models.TextField(
        "处理决定理由", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    decided_on = models.DateField("决定日期", null=True, blank=True, validators=[validate_business_date])
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT)
    opened_on = models.DateField("立案日期", auto_now_add=True, validators=[validate_business_date])
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "问责案件"
        verbose_name_plural = "问责案件"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(exemption_decided_by__isnull=True)
                | ~Q(exemption_decided_by=F("exemption_claimed_by")),
                name="chiefservice_exemption_not_self_decided",
                violation_error_message=rules.EXEMPTION_SAME_USER,
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer.name}：{self.get_item_display()[:20]}"

    def clean(self) -> None:
        """第二十九条 and 第三十条 as the services apply them, so the admin cannot record what they refuse."""
        super().clean()
        errors = {}
        if self.exemption_decision:
            error = rules.exemption_decision_error(
                claimed_ground=self.exemption_ground,
                decision=self.exemption_decision,
                reason=self.exemption_reason,
            )
            if error:
                errors["exemption_decision"] = error
        if self.decision and "exemption_decision" not in errors:
            error = rules.case_decision_error(
                claimed_ground=self.exemption_ground,
                exemption_decision=self.exemption_decision,
                decision=self.decision,
                reason=self.decision_reason,
            )
            if error:
                errors["decision"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def waiting_for(self) -> str:
        """Whose turn it is on a pending case (empty once decided), from the workflow's declaration."""
        from chiefservice.workflow import CASE  # the declaration imports these models

        return CASE.waiting_for(self.status)
