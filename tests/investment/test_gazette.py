"""The 2020 tables exactly as published (双政办发〔2020〕16号 附件2/附件3) and their Excel export."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from investment import gazette as published_tables
from investment import selectors
from investment.exports import TargetTablesExport
from investment.models import CountyTarget, MunicipalTargetLine, TargetSet, TargetStatus

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes, name: str):
    return list(load_workbook(BytesIO(content))[name].iter_rows(values_only=True))


def test_2020_targets_are_issued_with_the_gazette_document(gazette):
    target_set = TargetSet.objects.get(year=2020)
    assert target_set.status == TargetStatus.ISSUED
    assert target_set.document_number == "双政办发〔2020〕16号"
    assert target_set.issued_on == date(2020, 7, 23)


def test_loading_twice_changes_nothing(gazette):
    before = (TargetSet.objects.count(), CountyTarget.objects.count(), MunicipalTargetLine.objects.count())
    assert gazette_load_again() == {"target_sets_added": 0}
    assert (
        TargetSet.objects.count(),
        CountyTarget.objects.count(),
        MunicipalTargetLine.objects.count(),
    ) == before


def gazette_load_again():
    return published_tables.load()


def test_totals_are_computed_210_43_115_48(gazette):
    totals = selectors.county_totals(selectors.county_rows(TargetSet.objects.get(year=2020)))
    assert totals["foreign_musd"] == Decimal(210)
    assert totals["domestic_yi"] == Decimal(43)
    assert totals["signing_yi"] == Decimal(115)
    assert totals["new_projects"] == 48
    assert totals["leading_share_pct"] == Decimal(80)


def test_economic_zone_alias_maps_to_the_directory_unit(gazette):
    row = CountyTarget.objects.get(organization__name="市经开区管委会")
    assert (row.foreign_musd, row.domestic_yi, row.new_projects) == (Decimal(40), Decimal(7), 4)


def test_export_reproduces_table_one(gazette):
    rows = sheet_rows(TargetTablesExport(TargetSet.objects.get(year=2020)).content(), "表（一）")
    assert rows[0][0] == "双鸭山市2020年度招商引资工作目标任务分解表（一）"
    assert rows[2] == (None, "合计", 210, 43, 115, 48, 80)
    body = [r[1:] for r in rows[3:]]
    assert body == [(name, *values) for name, *values in published_tables.TABLE_ONE]
    assert body[-1][0] == "经开区管委会"


def test_export_reproduces_table_two_with_two_lines_for_agriculture(gazette):
    rows = sheet_rows(TargetTablesExport(TargetSet.objects.get(year=2020)).content(), "表（二）")
    assert rows[1] == ("序号", "单位", "招商引资项目规模及数量")
    assert len(rows) == 2 + 22
    assert rows[2 + 4] == (5, "市农业农村局", "3000万 1个、500万以上 2个")
    assert rows[2][1:] == ("市发展改革委", "3000万 1个")
    assert rows[-1] == (22, "市电子商务发展服务中心", "500万 1个")


def test_export_command_writes_the_workbook(gazette, tmp_path):
    out = tmp_path / "t.xlsx"
    call_command("investment_export_targets", "--year", "2020", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sheet_rows(out.read_bytes(), "表（一）")[2][1:6] == ("合计", 210, 43, 115, 48)


def test_export_neutralises_formula_text(gazette):
    target_set = TargetSet.objects.get(year=2020)
    org = MunicipalTargetLine.objects.filter(target_set=target_set).first().organization
    org.name = "=HYPERLINK(1)"
    org.save()
    rows = sheet_rows(TargetTablesExport(target_set).content(), "表（二）")
    assert rows[2][1] == "'=HYPERLINK(1)"
