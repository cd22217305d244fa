"""The 待办 items of the sprouts app and the 【演示】 data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orgs import demo as orgs_demo
from sprouts import demo as sprouts_demo
from sprouts import todo
from sprouts.choices import Source, Stage
from sprouts.models import Case, HandOver

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_receiver_sees_the_hand_over_to_acknowledge_with_its_due_day(personas):
    case = CaseFactory(by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.PRODUCTION)
    [item] = todo.items(personas.market)
    assert item.text.startswith(f"确认接收豆芽案件 {case.number}")
    assert item.due == timezone.localdate() + timedelta(days=3)
    assert not item.overdue
    assert todo.items(personas.agriculture) == []
    assert todo.items(personas.leader) == []


def test_overdue_hand_over_is_marked_overdue(personas):
    case = CaseFactory(by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.PRODUCTION)
    HandOver.objects.filter(case=case).update(due_on=timezone.localdate() - timedelta(days=1))
    assert [i.overdue for i in todo.items(personas.market)] == [True]


def test_beyond_the_limit_the_rest_is_one_line_linking_to_the_filtered_list(personas, monkeypatch):
    monkeypatch.setattr(todo, "LIMIT", 2)
    for _ in range(5):
        CaseFactory(by=personas.market)
    listed = todo.items(personas.market)
    assert len(listed) == 3
    assert listed[-1].text == "另有 3 件案件待办理"
    assert listed[-1].url == "/sprouts/?status=handling"


def test_lead_office_sees_the_cases_it_handles(personas):
    case = CaseFactory(by=personas.market)
    assert [i.text for i in todo.items(personas.market)] == [
        f"办理豆芽案件 {case.number}（{case.business_name}）"
    ]


def test_demo_data_is_marked_and_loads_once(gazette):
    orgs_demo.load()
    assert sprouts_demo.load() == {"demo_sprout_cases": 3}
    assert sprouts_demo.load() == {"demo_sprout_cases": 0}
    assert Case.objects.count() == 3
    assert all(c.business_name.startswith("【演示】") for c in Case.objects.all())


def test_each_item_names_whose_turn_it_is_from_the_workflow(personas):
    CaseFactory(by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.PRODUCTION)
    CaseFactory(by=personas.market)
    assert sorted(i.waiting_for for i in todo.items(personas.market)) == [
        "宝清县市场监督管理局办理",
        "宝清县市场监督管理局确认接收",
    ]
    assert todo.items(personas.admin) == []
