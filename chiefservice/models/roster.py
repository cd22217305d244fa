"""The roster (第八条, 第十一条, 第二十五条), served subjects and assignments (第九条, 第十九条)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from orgs.models import Organization, OrganizationKind
from orgs.roles import Role
from orgs.validators import SHORT_TEXT, validate_business_date

from .. import rules

BUSINESS_OFFICE_READERS = frozenset({Role.BUSINESS_OFFICE})

#: 市直 and 驻双中省直 units: the rank rules of 第八条 apply to them.
CITY_LEVEL_KINDS = (OrganizationKind.MUNICIPAL, OrganizationKind.PROVINCIAL, OrganizationKind.OFFICE)

OFFICER_INACTIVE = "该人员已不在岗。"
CREDIT_CODE_REQUIRED = "除拟投资企业外，须填写统一社会信用代码。"
#: What identifies the person in a chief post (第十一条): changed only through the change action.
CHIEF_PERSON_FIELDS = {"name": "姓名", "user": "平台账号", "unit": "派出单位"}


class OfficerRole(models.TextChoices):
    CHIEF = rules.CHIEF, "首席服务员"
    LIAISON = rules.LIAISON, "服务联络员"


class Rank(models.TextChoices):
    CLERK = "clerk", "办事员"
    STAFF = "staff", "科员"
    DEPUTY_SECTION = "deputy_section", "副科级"
    SECTION = "section", "正科级"
    DEPUTY_DIVISION = "deputy_division", "副处级"
    DIVISION = "division", "正处级"
    BUREAU = "bureau", "副厅级及以上"


class KeptQuerySet(models.QuerySet):
    """停用 keeps the history: officers are not deleted in bulk either."""

    def delete(self):
        raise ValidationError(rules.OFFICER_NEVER_DELETED)


class Officer(models.Model):
    """One person on the roster (第八条, 第十条)."""

    name = models.CharField("姓名", max_length=40)
    unit = models.ForeignKey(
        Organization, verbose_name="派出单位", on_delete=models.PROTECT, related_name="service_officers"
    )
    role = models.CharField("职责", max_length=10, choices=OfficerRole.choices, db_index=True)
    rank = models.CharField("职级", max_length=20, choices=Rank.choices)
    position = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    is_active = models.BooleanField("在岗", default=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_officer",
        help_text="关联后，本人可登记自己的服务台账",
    )
    note = models.TextField(
        "内部备注", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    ended_on = models.DateField("离岗日期", null=True, blank=True, validators=[validate_business_date])
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    objects = KeptQuerySet.as_manager()

    scope_organization_lookup = "unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "首席服务员/服务联络员"
        verbose_name_plural = "首席服务员/服务联络员"
        ordering = ["unit__directory_order", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role=rules.CHIEF, is_active=True),
                name="chiefservice_one_active_chief_per_unit",
                violation_error_message=rules.ONE_CHIEF_PER_UNIT_SHORT,
            )
        ]
        indexes = [models.Index(fields=["unit", "is_active", "role"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit.name}·{self.get_role_display()}）"

    @property
    def rank_rules_apply(self) -> bool:
        return self.unit.kind in CITY_LEVEL_KINDS

    def clean(self) -> None:
        """第八条 (ranks, one chief per unit) and 第十一条 (who holds a chief post), on every path."""
        super().clean()
        if not self.unit_id:
            return
        errors: dict[str, str] = {}
        if self.role and self.rank in rules.RANK_LEVELS:
            error = rules.rank_error(role=self.role, rank=self.rank, rank_rules_apply=self.rank_rules_apply)
            if error:
                errors["rank"] = error
        errors |= self._chief_post_errors()
        if self.phone and "phone" not in errors:
            error = rules.phone_error(self.phone)
            if error:
                errors["phone"] = error  # 第十条: the public roster publishes it
        if self.role == rules.CHIEF and self.is_active and "role" not in errors:
            other = (
                Officer.objects.filter(unit_id=self.unit_id, role=rules.CHIEF, is_active=True)
                .exclude(pk=self.pk)
                .first()
            )
            if other is not None:
                errors["role"] = rules.ONE_CHIEF_PER_UNIT.format(name=other.name)
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        """停用 keeps the history (第十一条): an officer is never deleted (see also ``refuse_delete``)."""
        raise ValidationError(rules.OFFICER_NEVER_DELETED)

    def _chief_post_errors(self) -> dict[str, str]:
        """第十一条 不得擅自调整首席服务员: editing a chief's record corrects contact details only.

        The change action (services.chief_change, services.officer_recall) sets ``_chief_change`` on the
        officers it moves; no form or admin page can.
        """
        if self.pk is None or getattr(self, "_chief_change", False):
            return {}
        stored = Officer.objects.filter(pk=self.pk).values("role", "is_active", *CHIEF_PERSON_FIELDS).first()
        if stored is None or stored["role"] != rules.CHIEF:
            return {}
        errors = {}
        for field, label in CHIEF_PERSON_FIELDS.items():
            before, after = stored[field], getattr(self, f"{field}_id" if field != "name" else field)
            if field == "user" and before is None:
                continue  # linking the chief's own account for the first time is not a change of person
            if before != after:
                errors[field] = rules.CHIEF_PERSON_FIXED.format(field=label)
        if stored["is_active"] and (self.role != rules.CHIEF or not self.is_active):
            errors["role" if self.role != rules.CHIEF else "is_active"] = rules.CHIEF_POST_BY_CHANGE_ONLY
        return errors


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    ORGANIZATION = "organization", "其他组织"
    INDIVIDUAL = rules.INDIVIDUAL, "个体工商户"
    PROSPECTIVE = "prospective", "拟投资企业"


class SubjectSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class ServedSubject(models.Model):
    """服务对象 (第三条): an enterprise, other organization, 个体工商户 or an intending investor."""

    name = models.CharField("名称", max_length=120, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=SubjectKind.choices, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    district = models.ForeignKey(
        Organization,
        verbose_name="所属县（区）",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganizationKind.COUNTY},
    )
    grid = models.CharField("网格", max_length=60, blank=True)
    size = models.CharField("规模", max_length=10, choices=SubjectSize.choices, blank=True)
    # 第九条's four kinds, worded as the gazette words them (tables show the short labels of key_flags).
    is_provincial_key = models.BooleanField("省委省政府确定的重点项目", default=False)
    is_provincial_top100 = models.BooleanField("省百大项目", default=False)
    is_city_key = models.BooleanField("市重点规上企业", default=False)
    is_monitored = models.BooleanField("重点监测的企业", default=False)
    contract_signed_on = models.DateField(
        "招商引资合同签订日期", null=True, blank=True, validators=[validate_business_date]
    )
    # 第十九条: deadline columns written when the clock starts / stops.
    assignment_due_on = models.DateField(
        "配置服务员期限", null=True, blank=True, db_index=True, validators=[validate_business_date]
    )
    assigned_on = models.DateField(
        "首次配置服务员日期", null=True, blank=True, db_index=True, validators=[validate_business_date]
    )
    # The day that first assignment was recorded, and how many days after the 15th day it came: a start date
    # typed in the past does not make a late assignment look timely (第十九条).
    assignment_recorded_on = models.DateField(
        "首次配置登记日期", null=True, blank=True, editable=False, validators=[validate_business_date]
    )
    assignment_late_days = models.PositiveSmallIntegerField("配置超期天数", default=0, editable=False)
    # Whether an assignment is open now, kept by services.roster.coverage_refresh whenever assignments open
    # or end: the coverage list and counts (第九条) read it through a small partial index instead of an
    # anti-join over every subject and assignment of ten years.
    has_officer = models.BooleanField("已配置服务员", default=False, editable=False)
    registered_by = models.ForeignKey(
        Organization, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["has_officer"])  # derived from the assignments' history

    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "服务对象"
        verbose_name_plural = "服务对象"
        ordering = ["name", "id"]
        indexes = [
            models.Index(
                fields=["name", "id"], condition=Q(has_officer=False), name="chiefservice_subject_uncovered"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="chiefservice_unique_credit_code"
            ),
            models.CheckConstraint(
                condition=Q(kind="prospective") | ~Q(credit_code=""),
                name="chiefservice_credit_code_required",
                violation_error_message=CREDIT_CODE_REQUIRED,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The credit code (GB 32100-2015, part by part), the 15-day clock (第十九条), 第九条's 专班 rule."""
        super().clean()
        self.credit_code = rules.normalize_credit_code(self.credit_code)
        errors: dict[str, list[str] | str] = {}
        if self.credit_code:
            problems = rules.credit_code_errors(self.credit_code)
            if problems:
                errors["credit_code"] = problems
            else:
                holder = (
                    ServedSubject.objects.filter(credit_code=self.credit_code)
                    .exclude(pk=self.pk)
                    .select_related("registered_by")
                    .first()
                )
                if holder is not None:
                    errors["credit_code"] = rules.CREDIT_CODE_TAKEN.format(
                        code=self.credit_code, name=holder.name, unit=holder.registered_by.name
                    )
        elif self.kind and self.kind != SubjectKind.PROSPECTIVE:
            errors["credit_code"] = CREDIT_CODE_REQUIRED
        self.assignment_due_on = (
            rules.assignment_due_on(self.contract_signed_on) if self.contract_signed_on else None
        )
        if self.assigned_on is not None:
            self.assignment_late_days = rules.assignment_late_days(
                due_on=self.assignment_due_on,
                start_on=self.assigned_on,
                recorded_on=self.assignment_recorded_on or self.assigned_on,
            )
        if self.pk is not None and self.is_key_subject:
            other = (
                Assignment.objects.filter(subject_id=self.pk, end_on__isnull=True)
                .exclude(mode=rules.TASK_FORCE)
                .select_related("officer")
                .first()
            )
            if other is not None:
                errors[NON_FIELD_ERRORS] = rules.KEY_SUBJECT_SERVED_OTHERWISE.format(
                    name=other.officer.name, mode=other.get_mode_display()
                )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """A unit sees the subjects it registered, those in its county, and those its officers serve."""
        # An uncorrelated IN: the database builds the unit's served set once and probes it (a hashed subplan),
        # where a correlated EXISTS ran once for each of hundreds of thousands of subjects.
        served = Assignment.objects.filter(officer__unit=organization).values("subject_id")
        return Q(registered_by=organization) | Q(district=organization) | Q(pk__in=served)

    @property
    def is_key_subject(self) -> bool:
        """第九条: the four kinds served by a 专班."""
        return self.is_provincial_key or self.is_provincial_top100 or self.is_city_key or self.is_monitored

    @property
    def assigned_late(self) -> bool:
        return self.assignment_late_days > 0

    def key_flags(self) -> list[str]:
        flags = (self.is_provincial_key, self.is_provincial_top100, self.is_city_key, self.is_monitored)
        return [label for flag, label in zip(flags, rules.KEY_FLAGS, strict=True) if flag]


class AssignmentMode(models.TextChoices):
    ONE_TO_ONE = rules.ONE_TO_ONE, "一对一"
    ONE_TO_MANY = rules.ONE_TO_MANY, "一对多"
    TASK_FORCE = rules.TASK_FORCE, "专班"


class Assignment(models.Model):
    """An officer serving a subject from ``start_on`` to ``end_on`` (open while ``end_on`` is empty)."""

    # Indexed with the subject below: a unit's served set is read from the index alone.
    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    subject = models.ForeignKey(
        ServedSubject, verbose_name="服务对象", on_delete=models.PROTECT, related_name="assignments"
    )
    mode = models.CharField("服务方式", max_length=20, choices=AssignmentMode.choices)
    start_on = models.DateField("开始日期", validators=[validate_business_date])
    end_on = models.DateField(
        "结束日期", null=True, blank=True, db_index=True, validators=[validate_business_date]
    )
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "服务关系"
        verbose_name_plural = "服务关系"
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["subject", "end_on"]),
            # The subjects a unit's officers serve (ServedSubject.scope_filter): 146 → 30 ms at 375,000 rows.
            models.Index(fields=["officer", "subject"], name="chiefservice_assign_officer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="chiefservice_assignment_ends_after_start",
                violation_error_message=rules.END_BEFORE_START,
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer.name} → {self.subject.name}（{self.get_mode_display()}）"

    def clean(self) -> None:
        """第九条 and 附件1: the service mode; an open assignment needs an officer on duty."""
        super().clean()
        if not (self.officer_id and self.subject_id and self.mode):
            return
        errors: dict[str, str] = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = rules.END_BEFORE_START
        if self.end_on is None:
            if not self.officer.is_active:
                errors["officer"] = OFFICER_INACTIVE
            open_ = Assignment.objects.filter(subject_id=self.subject_id, end_on__isnull=True).exclude(
                pk=self.pk
            )
            other = (
                open_.filter(mode=rules.ONE_TO_ONE)
                .exclude(officer_id=self.officer_id)
                .select_related("officer")
                .first()
            )
            error = rules.assignment_mode_error(
                mode=self.mode,
                officer_role=self.officer.role,
                is_key_subject=self.subject.is_key_subject,
                other_one_to_one_officer=other.officer.name if other else "",
                task_force_led=open_.filter(mode=rules.TASK_FORCE, officer__role=rules.CHIEF).exists(),
            )
            if error:
                errors["mode"] = error
        if errors:
            raise ValidationError(errors)


class AppendOnlyQuerySet(models.QuerySet):
    """第十一条 change records: written once, never updated or deleted in bulk either."""

    def update(self, **kwargs):
        raise ValidationError(rules.CHANGE_RECORD_APPEND_ONLY)

    def delete(self):
        raise ValidationError(rules.CHANGE_RECORD_APPEND_ONLY)


class OfficerChange(models.Model):
    """第十一条 chief changes (reason, reported to 营商办) and 第二十五条 recalls (ground, replacement)."""

    class Kind(models.TextChoices):
        CHIEF_CHANGE = "chief_change", "调整首席服务员"
        RECALL = "recall", "召（退）回"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Organization, verbose_name="派出单位", on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        Officer, verbose_name="原人员", on_delete=models.PROTECT, related_name="changes_as_previous"
    )
    replacement = models.ForeignKey(
        Officer, verbose_name="接替人员", on_delete=models.PROTECT, related_name="changes_as_replacement"
    )
    recall_ground = models.CharField("召回情形", max_length=2, choices=rules.RECALL_GROUNDS, blank=True)
    reason = models.TextField("原因", max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)])
    changed_on = models.DateField("调整日期", validators=[validate_business_date])
    reported_at = models.DateTimeField("报备营商办时间", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT)
    history = HistoricalRecords()

    objects = AppendOnlyQuerySet.as_manager()

    scope_organization_lookup = "unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "人员调整记录"
        verbose_name_plural = "人员调整记录"
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.unit.name} {self.get_kind_display()}"

    def delete(self, *args, **kwargs):
        raise ValidationError(rules.CHANGE_RECORD_APPEND_ONLY)

    def clean(self) -> None:
        """第十一条 a reason; the replacement is another officer of the same unit (第二十五条 另行调整人员)."""
        super().clean()
        errors = {}
        if self.kind == self.Kind.CHIEF_CHANGE and self.reason is not None and not self.reason.strip():
            errors["reason"] = rules.CHANGE_NEEDS_REASON
        if self.previous_id and self.replacement_id:
            if self.previous_id == self.replacement_id:
                errors["replacement"] = rules.REPLACEMENT_IS_SELF
            elif self.replacement.unit_id != self.previous.unit_id:
                errors["replacement"] = rules.REPLACEMENT_SAME_UNIT
        if errors:
            raise ValidationError(errors)


def refuse_delete(sender, instance, **kwargs) -> None:
    """Bulk deletes (a queryset, a cascade) pass no model ``delete()``: the same refusal for them."""
    raise ValidationError(
        rules.OFFICER_NEVER_DELETED if sender is Officer else rules.CHANGE_RECORD_APPEND_ONLY
    )


def refuse_update(sender, instance, **kwargs) -> None:
    """Append-only: the 第十一条 record of a change, once written, is not saved again."""
    if instance.pk is not None and OfficerChange.objects.filter(pk=instance.pk).exists():
        raise ValidationError(rules.CHANGE_RECORD_APPEND_ONLY)


models.signals.pre_delete.connect(refuse_delete, sender=Officer, dispatch_uid="chiefservice_officer_kept")
models.signals.pre_delete.connect(
    refuse_delete, sender=OfficerChange, dispatch_uid="chiefservice_change_kept"
)
models.signals.pre_save.connect(
    refuse_update, sender=OfficerChange, dispatch_uid="chiefservice_change_append"
)
