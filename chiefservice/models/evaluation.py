"""Satisfaction surveys of the served subjects (第二十六条, 第二十七条)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.validators import SHORT_TEXT, validate_business_date

from .. import rules
from .ledger import Satisfaction
from .roster import BUSINESS_OFFICE_READERS, Assignment, Officer, ServedSubject

SURVEY_IN_THE_FUTURE = "测评日期不能晚于今天。"


class SurveyMethod(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", "问卷测评"
    VISIT = "visit", "企业走访座谈"
    INSPECTION = "inspection", "实地察看"
    LEDGER_CHECK = "ledger_check", "检查工作台账"


class SatisfactionSurvey(models.Model):
    """第二十六条: one questionnaire / visit answer of a subject about its officer."""

    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="surveys"
    )
    subject = models.ForeignKey(
        ServedSubject, verbose_name="服务对象", on_delete=models.PROTECT, related_name="+"
    )
    surveyed_on = models.DateField("测评日期", db_index=True, validators=[validate_business_date])
    method = models.CharField("方式", max_length=20, choices=SurveyMethod.choices)
    answer = models.CharField("满意度", max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(
        "意见建议", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["-surveyed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.surveyed_on} {self.get_answer_display()}"

    def clean(self) -> None:
        """No survey after today; only of a subject the officer served on the survey's date (第二十六条)."""
        super().clean()
        if self.surveyed_on and self.surveyed_on > timezone.localdate():
            raise ValidationError({"surveyed_on": SURVEY_IN_THE_FUTURE})
        if self.surveyed_on and self.officer_id and self.subject_id:
            served = Assignment.objects.filter(
                officer_id=self.officer_id, subject_id=self.subject_id, start_on__lte=self.surveyed_on
            ).filter(Q(end_on__isnull=True) | Q(end_on__gte=self.surveyed_on))
            if not served.exists():
                raise ValidationError(
                    {
                        "subject": rules.SURVEY_NOT_SERVED.format(
                            day=self.surveyed_on, officer=self.officer.name, subject=self.subject.name
                        )
                    }
                )
