"""The gazette's rules hold on every path: the model's full_clean(), the Django admin's add form, the service,
the form and the Excel import refuse the same thing with the same message (双政办发〔2020〕17号)."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from chiefservice import forms, models, rules, services
from chiefservice.models import Assignment, Officer, ServedSubject
from tests.factories import make_superuser

from .factories import AssignmentFactory, MeetingFactory, OfficerFactory, SubjectFactory, org

WRONG_CHECK = "914403001922038217"  # a real code with its 18th character changed


@pytest.fixture
def admin_client(client, gazette):
    root = make_superuser()
    client.force_login(root)
    return client


def admin_refuses(client, model: str, data: dict) -> None:
    """The Django admin adds no record of the four systems (orgs.admin.RecordAdmin), valid or not."""
    model_class = apps.get_model("chiefservice", model)
    before = model_class.objects.count()
    response = client.post(f"/admin/chiefservice/{model}/add/", data)
    assert response.status_code == 403, "the admin offered to add the row"
    assert model_class.objects.count() == before


def clean_errors(instance) -> dict:
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    return exc.value.message_dict


# ---------------------------------------------------------------- 第八条 ranks


def test_article_8_rank_rule_refuses_a_clerk_chief_in_admin_full_clean_and_form(admin_client):
    unit = org("市住房城乡建设局")
    data = {"name": "张三", "unit": unit.pk, "role": rules.CHIEF, "rank": "clerk", "phone": "0469-4221001"}
    admin_refuses(admin_client, "officer", data | {"is_active": "on"})
    assert clean_errors(Officer(unit=unit, name="张三", role=rules.CHIEF, rank="clerk", phone="13904690001"))[
        "rank"
    ] == [rules.CHIEF_RANK_TOO_LOW]
    form = forms.OfficerForm(data, unit=unit, instance=Officer(unit=unit))
    assert form.errors["rank"] == [rules.CHIEF_RANK_TOO_LOW]
    assert not Officer.objects.filter(name="张三").exists()


# ---------------------------------------------------------------- 统一社会信用代码


def test_credit_code_with_a_wrong_check_character_is_refused_in_admin_and_full_clean(admin_client):
    expected = [rules.CREDIT_CODE_CHECK.format(expected="6", actual="7")]
    baoqing = org("宝清县")
    data = {"name": "甲公司", "kind": "enterprise", "credit_code": WRONG_CHECK, "district": baoqing.pk}
    admin_refuses(admin_client, "servedsubject", data | {"registered_by": baoqing.pk})
    subject = ServedSubject(name="甲公司", kind="enterprise", credit_code=WRONG_CHECK, district=baoqing)
    subject.registered_by = baoqing
    assert clean_errors(subject)["credit_code"] == expected
    assert forms.SubjectForm(data).errors["credit_code"] == expected
    assert not ServedSubject.objects.filter(name="甲公司").exists()


def test_credit_code_parts_name_their_position_on_the_form():
    assert rules.credit_code_errors("91A30100799655058B")[0].startswith("统一社会信用代码第3位")


# ---------------------------------------------------------------- 第九条 专班 for all four key kinds

KEY_FLAGS = ["is_provincial_key", "is_provincial_top100", "is_city_key", "is_monitored"]


@pytest.mark.parametrize("flag", KEY_FLAGS)
def test_article_9_key_subjects_of_all_four_kinds_are_not_served_one_to_many(personas, flag):
    """第九条 names 省重点, 省百大, 市重点规上企业 and 重点监测的企业: each is served by a 专班."""
    subject = SubjectFactory(**{flag: True})
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            by=personas.reporter,
            subject=subject,
            officer=OfficerFactory(),
            mode=rules.ONE_TO_MANY,
            start_on=date(2020, 8, 1),
        )
    assert exc.value.message_dict["mode"] == [rules.KEY_SUBJECT_NEEDS_TASK_FORCE]


def test_article_9_admin_add_form_refuses_the_same_mode_with_the_same_message(admin_client):
    subject = SubjectFactory(is_monitored=True)
    liaison = OfficerFactory()
    data = {"officer": liaison.pk, "subject": subject.pk, "mode": rules.ONE_TO_MANY, "start_on": "2020-08-01"}
    admin_refuses(admin_client, "assignment", data)
    form = forms.AssignmentForm(data, officers=Officer.objects.all(), instance=Assignment(subject=subject))
    assert form.errors["mode"] == [rules.KEY_SUBJECT_NEEDS_TASK_FORCE]
    assert not Assignment.objects.exists()


def test_article_9_a_liaison_joins_a_task_force_its_chief_leads(personas):
    """第九条 组长即首席服务员; 第十三条(一) the liaison 协助项目推进专班."""
    subject = SubjectFactory(is_city_key=True)
    chief = OfficerFactory(role=rules.CHIEF, rank="division")
    liaison = OfficerFactory()
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            by=personas.reporter,
            subject=subject,
            officer=liaison,
            mode=rules.TASK_FORCE,
            start_on=date(2020, 8, 1),
        )
    assert exc.value.message_dict["mode"] == [rules.TASK_FORCE_NEEDS_CHIEF]
    for officer in (chief, liaison):
        services.assignment_create(
            by=personas.reporter,
            subject=subject,
            officer=officer,
            mode=rules.TASK_FORCE,
            start_on=date(2020, 8, 1),
        )
    assert subject.assignments.filter(end_on__isnull=True).count() == 2


def test_article_9_flagging_a_subject_served_one_to_many_as_key_is_refused(personas):
    subject = SubjectFactory()
    AssignmentFactory(subject=subject, officer=OfficerFactory(name="乙"), mode=rules.ONE_TO_MANY)
    with pytest.raises(ValidationError) as exc:
        services.subject_update(subject=subject, by=personas.business_office, is_city_key=True)
    assert exc.value.messages == [rules.KEY_SUBJECT_SERVED_OTHERWISE.format(name="乙", mode="一对多")]


# ---------------------------------------------------------------- every model, admin add form and full_clean

LONG = "长" * 201


def _liaison():
    return OfficerFactory()


def _date(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


CASES = {
    # model: (invalid admin data, the same as an unsaved instance, field, message, the page's form or service)
    "officer": (
        lambda: (
            {"name": "李", "unit": org("市住房城乡建设局").pk, "role": rules.LIAISON, "rank": "staff"}
            | {"phone": "13904690001", "is_active": "on"}
        ),
        lambda: Officer(
            unit=org("市住房城乡建设局"), name="李", role=rules.LIAISON, rank="staff", phone="13904690001"
        ),
        "rank",
        rules.LIAISON_RANK_TOO_LOW,
        lambda data: forms.OfficerForm(
            data, unit=org("市住房城乡建设局"), instance=Officer(unit=org("市住房城乡建设局"))
        ),
    ),
    "servedsubject": (
        lambda: (
            {"name": "丙公司", "kind": "enterprise", "credit_code": "", "district": org("宝清县").pk}
            | {"registered_by": org("宝清县").pk}
        ),
        lambda: ServedSubject(
            name="丙公司", kind="enterprise", district=org("宝清县"), registered_by=org("宝清县")
        ),
        "credit_code",
        models.CREDIT_CODE_REQUIRED,
        forms.SubjectForm,
    ),
    "assignment": (
        lambda: (
            {"officer": _liaison().pk, "subject": SubjectFactory().pk, "mode": rules.ONE_TO_MANY}
            | {"start_on": "2020-08-10", "end_on": "2020-08-01"}
        ),
        lambda: Assignment(
            officer=_liaison(),
            subject=SubjectFactory(),
            mode=rules.ONE_TO_MANY,
            start_on=date(2020, 8, 10),
            end_on=date(2020, 8, 1),
        ),
        "end_on",
        rules.END_BEFORE_START,
        lambda data: forms.AssignmentForm(
            data, officers=Officer.objects.all(), instance=Assignment(subject_id=data["subject"])
        ),
    ),
    "officerchange": (
        lambda: (
            (lambda o: {"kind": "recall", "unit": o.unit_id, "previous": o.pk, "replacement": o.pk})(
                _liaison()
            )
            | {
                "recall_ground": "1",
                "reason": "r",
                "changed_on": "2020-09-01",
                "by": get_user_model().objects.get(username="root").pk,
            }
        ),
        lambda: (lambda o: models.OfficerChange(kind="recall", unit=o.unit, previous=o, replacement=o))(
            _liaison()
        ),
        "replacement",
        rules.REPLACEMENT_IS_SELF,
        None,
    ),
    "ledgerentry": (
        lambda: {
            "received_on": "2020-08-10",
            "due_on": "2020-08-01",
            "kind": "difficulty",
            "description": "d",
        },
        lambda: models.LedgerEntry(received_on=date(2020, 8, 10), due_on=date(2020, 8, 1), kind="difficulty"),
        "due_on",
        models.DUE_BEFORE_RECEIVED,
        lambda data: forms.LedgerEntryForm(
            data, officers=Officer.objects.all(), subjects=ServedSubject.objects.all()
        ),
    ),
    "monthlyreport": (
        lambda: {"unit": org("宝清县").pk, "year": "2020", "month": "13", "due_on": "2020-12-31"},
        lambda: models.MonthlyReport(unit=org("宝清县"), year=2020, month=13, due_on=date(2020, 12, 31)),
        "month",
        "确保该值小于或等于12。",
        lambda data: forms.ReportGenerateForm(data),
    ),
    "meeting": (
        lambda: {"kind": "regular", "held_on": "2020-08-20", "title": LONG[:121]},
        lambda: models.Meeting(kind="regular", held_on=date(2020, 8, 20), title=LONG[:121]),
        "title",
        "确保该变量包含不超过 120 字符 (目前字符数 121)。",
        forms.MeetingForm,
    ),
    "agendaitem": (
        lambda: (
            {"meeting": MeetingFactory(created_by=get_user_model().objects.get(username="root")).pk}
            | {"topic": LONG}
        ),
        lambda: models.AgendaItem(topic=LONG),
        "topic",
        "确保该变量包含不超过 200 字符 (目前字符数 201)。",
        lambda data: forms.AgendaItemForm(data, entries=models.LedgerEntry.objects.none()),
    ),
    "newsarticle": (
        lambda: (
            {"officer": _liaison().pk, "year": "2020", "quarter": "3", "title": LONG[:121]}
            | {"submitted_on": "2020-09-01"}
        ),
        lambda: models.NewsArticle(officer=_liaison(), year=2020, quarter=3, title=LONG[:121]),
        "title",
        "确保该变量包含不超过 120 字符 (目前字符数 121)。",
        lambda data: forms.ArticleForm(data, officers=Officer.objects.all()),
    ),
    "satisfactionsurvey": (
        lambda: {"surveyed_on": _date(3), "method": "questionnaire", "answer": "satisfied"},
        lambda: models.SatisfactionSurvey(
            surveyed_on=timezone.localdate() + timedelta(days=3), method="questionnaire", answer="satisfied"
        ),
        "surveyed_on",
        models.SURVEY_IN_THE_FUTURE,
        lambda data: forms.SurveyForm(
            data, officers=Officer.objects.all(), subjects=ServedSubject.objects.all()
        ),
    ),
    "accountabilitycase": (
        lambda: (
            {"officer": _liaison().pk, "item": "N1", "facts": "f", "measures": "m", "suggestion": "s"}
            | {"exemption_decision": rules.EXEMPT, "exemption_reason": "r"}
        ),
        lambda: models.AccountabilityCase(
            officer=_liaison(),
            item="N1",
            facts="f",
            measures="m",
            suggestion="s",
            exemption_decision=rules.EXEMPT,
        ),
        "exemption_decision",
        rules.NO_EXEMPTION_CLAIMED,
        None,  # the page's decision is refused by the service with the same message (test_services)
    ),
}


@pytest.mark.parametrize("model", CASES)
def test_each_model_refuses_invalid_values_in_admin_and_full_clean_with_the_forms_message(
    admin_client, model
):
    data, instance, field, message, form = CASES[model]
    admin_refuses(admin_client, model, data())
    assert message in clean_errors(instance())[field]
    if form is not None:
        assert message in form(data()).errors[field]


# ---------------------------------------------------------------- the Excel import says the same


def test_import_of_a_numeric_cell_says_to_format_the_column_as_text(personas):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from chiefservice import imports
    from orgs.excel import WorkbookErrors

    wb = Workbook()
    ws = wb.active
    ws.title = imports.SHEET
    ws.append(imports.SUBJECT_HEADERS)
    ws.append(["甲公司", "企业", 914403001922038216, "宝清县", "", "", "否", "否", "否", "否", ""])
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile(
        "subjects.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    with pytest.raises(WorkbookErrors) as exc:
        imports.subjects_import(upload=upload, by=personas.reporter, registered_by=org("宝清县"))
    messages = [e.message for e in exc.value.errors]
    assert len(messages) == 1 and "设置为“文本”" in messages[0]


# ---------------------------------------------------------------- 第十九条 a late assignment stays late


def test_article_19_a_backdated_start_keeps_the_record_of_a_late_assignment(personas):
    today = timezone.localdate()
    subject = SubjectFactory(contract_signed_on=today - timedelta(days=20))
    subject.full_clean()
    subject.save()
    services.assignment_create(
        by=personas.reporter,
        subject=subject,
        officer=OfficerFactory(),
        mode=rules.ONE_TO_MANY,
        start_on=today - timedelta(days=18),  # typed as if assigned on time
    )
    subject.refresh_from_db()
    assert subject.assigned_on == today - timedelta(days=18)
    assert (subject.assigned_late, subject.assignment_late_days) == (True, 5)
    assert subject.assignment_recorded_on == today
