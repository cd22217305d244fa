from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from chiefservice import reminders, rules, selectors, services
from chiefservice.models import (
    Assignment,
    CaseStatus,
    LedgerStatus,
    Meeting,
    MonthlyReport,
    Officer,
    OfficerChange,
    ServedSubject,
)
from orgs.models import Notification
from orgs.workflow import WRONG_STATUS

from .factories import (
    ArticleFactory,
    AssignmentFactory,
    LedgerEntryFactory,
    MeetingFactory,
    OfficerFactory,
    SubjectFactory,
    credit_code,
    org,
)

pytestmark = pytest.mark.django_db


def messages_of(exc) -> list[str]:
    return exc.value.messages


# ---------------------------------------------------------------- roster (第八条)


def test_city_unit_chief_below_deputy_division_is_refused_and_nothing_saved(personas):
    with pytest.raises(ValidationError) as exc:
        services.officer_create(
            by=personas.municipal_reporter,
            unit=org("市住房城乡建设局"),
            name="张科长",
            role=rules.CHIEF,
            rank="section",
            phone="0469-1234567",
        )
    assert exc.value.message_dict == {"rank": [rules.CHIEF_RANK_TOO_LOW]}
    assert not Officer.objects.exists()


def test_city_unit_liaison_below_section_rank_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.officer_create(
            by=personas.municipal_reporter,
            unit=org("市住房城乡建设局"),
            name="刘科员",
            role=rules.LIAISON,
            rank="staff",
            phone="0469-1234567",
        )
    assert messages_of(exc) == [rules.LIAISON_RANK_TOO_LOW]


def test_city_unit_roster_within_the_rank_rules_is_saved(personas):
    chief = services.officer_create(
        by=personas.municipal_reporter,
        unit=org("市住房城乡建设局"),
        name="陈副局长",
        role=rules.CHIEF,
        rank="deputy_division",
        phone="0469-4221001",
    )
    assert chief.pk and chief.history.first().history_user == personas.municipal_reporter


def test_a_unit_has_only_one_chief(personas):
    OfficerFactory(unit=org("宝清县"), role=rules.CHIEF, name="王首席")
    with pytest.raises(ValidationError) as exc:
        services.officer_create(
            by=personas.reporter,
            unit=org("宝清县"),
            name="第二位",
            role=rules.CHIEF,
            rank="division",
            phone="13904690001",
        )
    assert messages_of(exc) == [rules.ONE_CHIEF_PER_UNIT.format(name="王首席")]


def test_a_reporter_cannot_add_officers_to_another_unit(personas):
    with pytest.raises(ValidationError) as exc:
        services.officer_create(
            by=personas.reporter,
            unit=org("集贤县"),
            name="x",
            role=rules.LIAISON,
            rank="section",
            phone="13904690001",
        )
    assert messages_of(exc) == [services.NOT_YOUR_UNIT]


# ---------------------------------------------------------------- chief change (第十一条) and recall (第二十五条)


def test_chief_change_needs_a_reason(personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division")
    deputy = OfficerFactory(rank="division")
    with pytest.raises(ValidationError) as exc:
        services.chief_change(chief=chief, replacement=deputy, reason=" ", by=personas.reporter)
    assert messages_of(exc) == [rules.CHANGE_NEEDS_REASON]
    chief.refresh_from_db()
    assert chief.is_active


def test_chief_change_hands_over_the_subjects_and_reports_to_the_business_office(personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division")
    deputy = OfficerFactory(rank="division")
    served = AssignmentFactory(officer=chief, mode=rules.TASK_FORCE).subject
    change = services.chief_change(
        chief=chief, replacement=deputy, reason="工作调动", by=personas.reporter, on=date(2020, 9, 1)
    )
    chief.refresh_from_db()
    deputy.refresh_from_db()
    assert (chief.is_active, deputy.role) == (False, rules.CHIEF)
    assert change.reported_at is not None and change.kind == OfficerChange.Kind.CHIEF_CHANGE
    assert list(
        Assignment.objects.filter(subject=served, end_on__isnull=True).values_list("officer", "mode")
    ) == [(deputy.pk, rules.TASK_FORCE)]
    assert Notification.objects.filter(
        recipient=personas.business_office, event="chiefservice.chief_changed"
    ).exists()


def test_city_level_replacement_chief_must_meet_the_rank_rule(personas):
    unit = org("市住房城乡建设局")
    chief = OfficerFactory(unit=unit, role=rules.CHIEF, rank="division")
    junior = OfficerFactory(unit=unit, rank="section")
    with pytest.raises(ValidationError) as exc:
        services.chief_change(chief=chief, replacement=junior, reason="调动", by=personas.municipal_reporter)
    assert messages_of(exc) == [rules.CHIEF_RANK_TOO_LOW]
    chief.refresh_from_db()
    assert chief.is_active  # the whole change was rolled back


def test_recall_records_the_ground_and_the_replacement(personas):
    liaison = OfficerFactory()
    replacement = OfficerFactory()
    AssignmentFactory(officer=liaison)
    change = services.officer_recall(
        officer=liaison, ground="4", replacement=replacement, reason="年度考核不称职", by=personas.reporter
    )
    assert (change.recall_ground, change.replacement, change.kind) == (
        "4",
        replacement,
        OfficerChange.Kind.RECALL,
    )
    assert not Officer.objects.get(pk=liaison.pk).is_active
    assert Assignment.objects.get(end_on__isnull=True).officer == replacement


def test_recall_replacement_must_come_from_the_same_unit(personas):
    liaison = OfficerFactory()
    stranger = OfficerFactory(unit=org("集贤县"))
    with pytest.raises(ValidationError) as exc:
        services.officer_recall(
            officer=liaison, ground="1", replacement=stranger, reason="", by=personas.reporter
        )
    assert messages_of(exc) == [rules.REPLACEMENT_SAME_UNIT]


# ---------------------------------------------------------------- subjects, coverage and the 15-day rule


def test_subject_with_an_invalid_credit_code_is_refused(personas):
    bad = credit_code(7)[:17] + ("0" if credit_code(7)[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.subject_create(
            by=personas.reporter,
            registered_by=org("宝清县"),
            name="某公司",
            kind="enterprise",
            credit_code=bad,
            district=org("宝清县"),
        )
    assert "credit_code" in exc.value.message_dict
    assert not ServedSubject.objects.exists()


def test_prospective_investor_may_have_no_credit_code_yet(personas):
    subject = services.subject_create(
        by=personas.reporter,
        registered_by=org("宝清县"),
        name="拟投资公司",
        kind="prospective",
        district=org("宝清县"),
    )
    assert subject.credit_code == ""


def test_county_reporter_registers_only_its_own_district(personas):
    with pytest.raises(ValidationError) as exc:
        services.subject_create(
            by=personas.reporter,
            registered_by=org("宝清县"),
            name="外县公司",
            kind="enterprise",
            credit_code=credit_code(9),
            district=org("集贤县"),
        )
    assert messages_of(exc) == [services.OUTSIDE_OWN_DISTRICT]


def test_coverage_lists_subjects_without_an_open_assignment(personas):
    covered = AssignmentFactory().subject
    ended = AssignmentFactory(end_on=date(2020, 8, 31)).subject
    never = SubjectFactory()
    uncovered = set(selectors.uncovered_subjects(personas.business_office))
    assert uncovered == {ended, never}
    assert covered not in uncovered


def test_new_contract_is_flagged_until_assigned_and_overdue_after_fifteen_days(personas):
    subject = services.subject_create(
        by=personas.business_office,
        registered_by=org("市委市政府优化营商环境领导小组办公室"),
        name="新签约公司",
        kind="enterprise",
        credit_code=credit_code(11),
        district=org("宝清县"),
        contract_signed_on=date(2020, 8, 1),
    )
    assert subject.assignment_due_on == date(2020, 8, 16)
    bo = personas.business_office
    assert list(selectors.contracts_awaiting_assignment(bo)) == [subject]
    assert list(selectors.contracts_overdue(bo, date(2020, 8, 16))) == []
    assert list(selectors.contracts_overdue(bo, date(2020, 8, 17))) == [subject]
    officer = OfficerFactory()
    services.assignment_create(
        by=bo, subject=subject, officer=officer, mode=rules.ONE_TO_MANY, start_on=date(2020, 8, 20)
    )
    subject.refresh_from_db()
    assert subject.assigned_on == date(2020, 8, 20)
    assert list(selectors.contracts_awaiting_assignment(bo)) == []


def test_coverage_follows_assignments_opened_and_ended_through_the_services(personas):
    bo = personas.business_office
    subject, first, second = SubjectFactory(), OfficerFactory(), OfficerFactory()

    def open_with(officer):
        return services.assignment_create(
            by=bo, subject=subject, officer=officer, mode=rules.ONE_TO_MANY, start_on=date(2020, 8, 1)
        )

    def end(assignment):
        services.assignment_end(assignment=assignment, by=bo, end_on=date(2020, 9, 1), reason="调整")

    def uncovered():
        return subject in set(selectors.uncovered_subjects(bo))

    assert uncovered()
    a, b = open_with(first), open_with(second)
    assert not uncovered()
    end(a)
    assert not uncovered()  # the second officer still serves it
    end(b)
    assert uncovered()


def test_key_project_is_refused_one_to_many(personas):
    """第九条: a 省百大项目 is served by a 专班."""
    subject = SubjectFactory(is_provincial_top100=True)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            by=personas.reporter,
            subject=subject,
            officer=OfficerFactory(),
            mode=rules.ONE_TO_MANY,
            start_on=date.today(),
        )
    assert messages_of(exc) == [rules.KEY_SUBJECT_NEEDS_TASK_FORCE]


def test_second_one_to_one_officer_is_refused(personas):
    subject = SubjectFactory()
    first = OfficerFactory(name="甲")
    services.assignment_create(
        by=personas.reporter, subject=subject, officer=first, mode=rules.ONE_TO_ONE, start_on=date.today()
    )
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            by=personas.reporter,
            subject=subject,
            officer=OfficerFactory(),
            mode=rules.ONE_TO_ONE,
            start_on=date.today(),
        )
    assert messages_of(exc) == [rules.ONE_TO_ONE_TAKEN.format(name="甲")]


# ---------------------------------------------------------------- ledger (第十五条–第十八条)


def entry_for(personas, **fields):
    officer = fields.pop("officer", None) or OfficerFactory()
    data = dict(
        by=personas.reporter,
        officer=officer,
        subject=SubjectFactory(),
        received_on=date(2020, 8, 10),
        kind="demand",
        description="企业申请办理施工许可",
    )
    return services.ledger_entry_create(**(data | fields))


def test_request_outside_own_duty_is_taken_only_with_routing(personas):
    with pytest.raises(ValidationError) as exc:
        entry_for(personas, within_own_duty=False)
    assert messages_of(exc) == [rules.OUTSIDE_DUTY_NEEDS_ROUTING]


def test_request_outside_own_duty_is_routed_to_the_co_handling_unit(personas):
    entry = entry_for(personas, within_own_duty=False, co_units=[org("市住房城乡建设局")])
    assert entry.first_receiving_unit == org("宝清县")
    assert list(entry.co_units.all()) == [org("市住房城乡建设局")]


def test_routing_to_co_handling_units_is_in_the_entry_history_with_the_acting_user(personas):
    entry = entry_for(personas, within_own_duty=False, co_units=[org("市住房城乡建设局")])
    latest = entry.history.first()
    assert latest.history_user == personas.reporter
    assert [row.organization for row in latest.co_units.all()] == [org("市住房城乡建设局")]
    # The first row was written before the units were set: the change from none to one is on record.
    assert entry.history.last().co_units.count() == 0
    assert Notification.objects.filter(
        recipient=personas.municipal_reporter, event="chiefservice.routed"
    ).exists()


def test_default_due_date_is_thirty_days_after_receipt(personas):
    assert entry_for(personas).due_on == date(2020, 9, 9)


def test_liaison_with_a_linked_account_records_own_entries(personas, django_user_model):
    from tests.factories import make_user

    user = make_user("填报员", org("宝清县"))
    officer = OfficerFactory(user=user)
    entry = entry_for(personas, officer=officer, by=user)
    assert entry.created_by == user


def test_escalated_entry_is_closed_by_the_business_office_only(personas):
    entry = entry_for(personas)
    services.ledger_entry_start(entry=entry, by=personas.reporter)
    services.ledger_entry_escalate(entry=entry, by=personas.reporter, note="需市级协调")
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_resolve(entry=entry, by=personas.reporter, resolution="已解决")
    assert messages_of(exc) == [services.ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED]
    # 会商后销号 follows the meeting's decision (decision: events in order).
    meeting = MeetingFactory(held_on=date(2020, 8, 20), created_by=personas.business_office)
    item = services.agenda_item_add(meeting=meeting, entry=entry, topic="", by=personas.business_office)
    services.agenda_item_decide(item=item, by=personas.business_office, decision="由住建局牵头办理")
    services.ledger_entry_resolve(
        entry=entry,
        by=personas.business_office,
        resolution="会商后解决",
        satisfaction="satisfied",
    )
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.RESOLVED and entry.closed_on is not None
    assert [(log.from_status, log.to_status) for log in entry.logs.all()] == [
        ("open", "open"),
        ("open", "in_progress"),
        ("in_progress", "escalated"),
        ("escalated", "resolved"),
    ]


def test_resolving_needs_a_resolution(personas):
    entry = entry_for(personas)
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_resolve(entry=entry, by=personas.reporter)
    assert messages_of(exc) == [services.RESOLUTION_REQUIRED]


def test_stale_transition_is_refused(personas):
    entry = entry_for(personas)
    stale = type(entry).objects.get(pk=entry.pk)
    services.ledger_entry_start(entry=entry, by=personas.reporter)
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_start(entry=stale, by=personas.reporter)
    assert messages_of(exc) == [WRONG_STATUS.format(status="办理中", action="开始办理")]
    assert [log.to_status for log in entry.logs.all()] == ["open", "in_progress"]


def test_overdue_is_past_due_and_not_closed(personas):
    late = LedgerEntryFactory(created_by=personas.reporter, due_on=date(2020, 8, 20))
    LedgerEntryFactory(created_by=personas.reporter, due_on=date(2020, 8, 20), closed_on=date(2020, 8, 19))
    LedgerEntryFactory(created_by=personas.reporter, due_on=date(2020, 9, 20))
    assert list(selectors.ledger_overdue(personas.business_office, date(2020, 8, 21))) == [late]


# ---------------------------------------------------------------- monthly report and carry-over (第二十一条)


def test_open_items_are_carried_over_across_months_until_cleared(personas):
    unit = org("宝清县")
    officer = OfficerFactory(unit=unit)
    LedgerEntryFactory(officer=officer, created_by=personas.reporter, received_on=date(2020, 8, 10))
    LedgerEntryFactory(
        officer=officer,
        created_by=personas.reporter,
        received_on=date(2020, 8, 12),
        closed_on=date(2020, 9, 15),
    )
    LedgerEntryFactory(
        officer=officer,
        created_by=personas.reporter,
        received_on=date(2020, 8, 13),
        closed_on=date(2020, 8, 20),
    )
    LedgerEntryFactory(officer=officer, created_by=personas.reporter, received_on=date(2020, 9, 2))

    def summary(month):
        return selectors.month_summary(unit=unit, year=2020, month=month)

    assert summary(8) == {"carried_over": 0, "new": 3, "closed": 1, "open_at_end": 2}
    assert summary(9) == {"carried_over": 2, "new": 1, "closed": 1, "open_at_end": 2}
    assert summary(10) == {"carried_over": 2, "new": 0, "closed": 0, "open_at_end": 2}


def test_monthly_report_is_submitted_once_with_its_figures(personas):
    unit = org("宝清县")
    LedgerEntryFactory(
        officer=OfficerFactory(unit=unit), created_by=personas.reporter, received_on=date(2020, 8, 3)
    )
    report = services.monthly_report_generate(unit=unit, year=2020, month=8, by=personas.reporter)
    assert report.due_on == date(2020, 9, 5)  # by the 5th of the next month
    services.monthly_report_submit(report=report, by=personas.reporter)
    report.refresh_from_db()
    assert (report.new, report.open_at_end, report.submitted_by) == (1, 1, personas.reporter)
    assert Notification.objects.filter(
        recipient=personas.business_office, event="chiefservice.report_submitted"
    ).exists()
    with pytest.raises(ValidationError) as exc:
        services.monthly_report_submit(report=report, by=personas.reporter)
    assert messages_of(exc) == [services.REPORT_ALREADY_SUBMITTED]


def test_report_for_a_future_month_is_refused(personas):
    later = date.today() + timedelta(days=62)
    with pytest.raises(ValidationError) as exc:
        services.monthly_report_generate(
            unit=org("宝清县"), year=later.year, month=later.month, by=personas.reporter
        )
    assert messages_of(exc) == [services.REPORT_FUTURE_MONTH]


# ---------------------------------------------------------------- meetings and articles (第十七条, 第二十四条)


def test_quarter_without_a_regular_meeting_is_flagged(personas):
    MeetingFactory(held_on=date(2020, 2, 10), created_by=personas.business_office)
    MeetingFactory(held_on=date(2020, 5, 10), kind="special", created_by=personas.business_office)
    flags = {f.quarter: f.state for f in selectors.meeting_flags(2020, date(2020, 8, 1))}
    assert flags == {1: "done", 2: "missing", 3: "due", 4: "future"}


def test_officer_without_an_article_in_the_quarter_is_flagged(personas):
    """第二十四条 各首席服务员: the chiefs of two units."""
    writer = OfficerFactory(name="写稿人", role=rules.CHIEF, rank="division")
    silent = OfficerFactory(name="未报送", role=rules.CHIEF, rank="division", unit=org("集贤县"))
    ArticleFactory(officer=writer, year=2020, quarter=3, created_by=personas.reporter)
    Officer.objects.update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    flags = {
        f.officer.name: f.state
        for f in selectors.article_flags(
            personas.business_office, year=2020, quarter=3, today=date(2020, 10, 8)
        )
    }
    assert flags == {"写稿人": "done", "未报送": "missing"}
    assert silent.pk


def test_only_escalated_entries_go_on_the_agenda(personas):
    meeting = Meeting.objects.create(
        kind="special", held_on=date(2020, 9, 1), title="专题", created_by=personas.business_office
    )
    entry = entry_for(personas)
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_add(meeting=meeting, entry=entry, topic="", by=personas.business_office)
    assert messages_of(exc) == [services.ENTRY_NOT_ESCALATED]
    services.ledger_entry_escalate(entry=entry, by=personas.reporter)
    entry.refresh_from_db()
    item = services.agenda_item_add(
        meeting=meeting, entry=entry, topic="", decision="市住建局牵头", by=personas.business_office
    )
    assert item.topic == entry.description


# ---------------------------------------------------------------- accountability and exemption (第二十八条–第三十条)


def open_case(personas, item="N1"):
    return services.case_open(
        by=personas.business_office, officer=OfficerFactory(), item=item, facts="查证属实"
    )


def test_case_takes_the_negative_list_measures_and_suggestion(personas):
    case = open_case(personas, "N2")
    assert case.measures == rules.NEGATIVE_LIST["N2"][1]
    assert case.suggestion == rules.NEGATIVE_LIST["N2"][2]


def test_exemption_granted_closes_the_case_without_a_measure(personas):
    case = open_case(personas)
    services.case_claim_exemption(case=case, by=personas.reporter, ground="2", claim="不可抗力")
    services.case_decide_exemption(
        case=case, by=personas.business_office, decision=rules.EXEMPT, reason="查实"
    )
    case.refresh_from_db()
    assert (case.status, case.exemption_decision, case.decision) == (CaseStatus.DECIDED, rules.EXEMPT, "")
    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=case, by=personas.business_office, decision="criticism", reason="r")
    assert messages_of(exc) == [services.CASE_DECIDED]


def test_ground_five_cannot_be_exempted(personas):
    case = open_case(personas)
    services.case_claim_exemption(case=case, by=personas.reporter, ground="5", claim="党内法规规定")
    with pytest.raises(ValidationError) as exc:
        services.case_decide_exemption(
            case=case, by=personas.business_office, decision=rules.EXEMPT, reason="r"
        )
    assert messages_of(exc) == [rules.GROUND_FIVE_NOT_EXEMPT]


def test_lighter_exemption_then_the_decision_with_reasons(personas):
    case = open_case(personas)
    services.case_claim_exemption(case=case, by=personas.reporter, ground="4", claim="主动说明")
    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=case, by=personas.business_office, decision="criticism", reason="r")
    assert messages_of(exc) == [rules.DECISION_NEEDS_EXEMPTION_ANSWER]
    services.case_decide_exemption(
        case=case, by=personas.business_office, decision=rules.LIGHTER, reason="态度好"
    )
    services.case_decide(case=case, by=personas.business_office, decision="criticism", reason="情节较轻")
    case.refresh_from_db()
    assert (case.status, case.exemption_decision, case.decision) == (
        CaseStatus.DECIDED,
        rules.LIGHTER,
        "criticism",
    )


def test_decision_needs_reasons(personas):
    case = open_case(personas)
    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=case, by=personas.business_office, decision="discipline", reason="")
    assert messages_of(exc) == [rules.REASON_REQUIRED]


def test_exemption_decision_without_a_claim_is_refused(personas):
    case = open_case(personas)
    with pytest.raises(ValidationError) as exc:
        services.case_decide_exemption(
            case=case, by=personas.business_office, decision=rules.EXEMPT, reason="r"
        )
    assert messages_of(exc) == [rules.NO_EXEMPTION_CLAIMED]


def test_other_unit_cannot_claim_exemption(personas):
    case = open_case(personas)
    with pytest.raises(ValidationError):
        services.case_claim_exemption(case=case, by=personas.other_reporter, ground="1", claim="x")


def test_cases_are_visible_to_the_business_office_and_the_dispatching_unit_only(personas):
    case = open_case(personas)
    assert list(selectors.cases(personas.business_office)) == [case]
    assert list(selectors.cases(personas.reporter)) == [case]
    assert list(selectors.cases(personas.other_reporter)) == []


# ---------------------------------------------------------------- reminders (Celery beat)


def test_monthly_ledger_reminder_skips_units_that_submitted_and_never_repeats(personas):
    OfficerFactory(unit=org("宝清县"))
    OfficerFactory(unit=org("集贤县"))
    MonthlyReport.objects.create(
        unit=org("集贤县"),
        year=2020,
        month=8,
        due_on=date(2020, 8, 31),
        submitted_at="2020-08-20T10:00+08:00",
    )
    assert reminders.monthly_ledger_due(date(2020, 8, 25)) == 1
    assert (
        Notification.objects.filter(recipient=personas.reporter, event="chiefservice.ledger_due").count() == 1
    )
    assert reminders.monthly_ledger_due(date(2020, 8, 25)) == 0


def test_quarterly_reminder_names_the_missing_meeting_and_articles(personas):
    OfficerFactory(name="未交稿", role=rules.CHIEF, rank="division")
    OfficerFactory(name="联络员")  # 第二十四条 asks the article of the chiefs only
    sent = reminders.quarterly_meeting_and_article_due(date(2020, 9, 15))
    assert sent == 2
    assert Notification.objects.get(recipient=personas.business_office).event == "chiefservice.meeting_due"
    assert "未交稿" in Notification.objects.get(recipient=personas.reporter).text


def test_assignment_reminder_tells_due_then_overdue(personas):
    SubjectFactory(contract_signed_on=date(2020, 8, 1), assignment_due_on=date(2020, 8, 16))
    assert reminders.assignment_due(date(2020, 8, 10)) == 1
    assert reminders.assignment_due(date(2020, 8, 17)) == 1
    texts = sorted(
        Notification.objects.filter(recipient=personas.business_office).values_list("text", flat=True)
    )
    assert any("已超期" in t for t in texts) and any("即将到期" in t for t in texts)


def test_beat_task_names_exist():
    from chiefservice import tasks

    assert tasks.remind_monthly_ledger_due.name == "chiefservice.tasks.remind_monthly_ledger_due"
    assert tasks.remind_quarterly_meeting_and_article_due.name == (
        "chiefservice.tasks.remind_quarterly_meeting_and_article_due"
    )
    assert tasks.remind_assignment_due.name == "chiefservice.tasks.remind_assignment_due"


def test_month_summary_agrees_with_the_pure_rule_over_a_year(personas):
    import random

    generator = random.Random(17)  # noqa: S311 - test data, not security
    unit = org("宝清县")
    officer = OfficerFactory(unit=unit)
    dates = []
    for _ in range(60):
        received = date(2020, 1, 1) + timedelta(days=generator.randrange(366))
        closed = None if generator.random() < 0.3 else received + timedelta(days=generator.randrange(120))
        LedgerEntryFactory(
            officer=officer, created_by=personas.reporter, received_on=received, closed_on=closed
        )
        dates.append((received, closed))
    for month in range(1, 13):
        positions = [
            p
            for received, closed in dates
            if (p := rules.month_position(received_on=received, closed_on=closed, year=2020, month=month))
        ]
        expected = {
            "carried_over": sum(p.carried_over for p in positions),
            "new": sum(p.new for p in positions),
            "closed": sum(p.closed_in_month for p in positions),
            "open_at_end": sum(p.open_at_end for p in positions),
        }
        assert selectors.month_summary(unit=unit, year=2020, month=month) == expected
        assert expected["carried_over"] + expected["new"] == expected["closed"] + expected["open_at_end"]
