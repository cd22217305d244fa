"""The streamed year export of the ledger: a readable workbook, formulas neutralised, built by the worker."""

from datetime import date

import pytest
from openpyxl import load_workbook

from bench.seed import LAST_YEAR, bench_admin, seed
from chiefservice import exports, xlsx
from orgs.exporting import export_request, export_run
from orgs.models import ExportJob


def test_streamed_workbook_reads_back_with_numbers_text_and_empty_cells(tmp_path):
    path = tmp_path / "out.xlsx"

    written = xlsx.write_xlsx(
        path,
        "台账",
        ["甲", "乙", "丙"],
        iter([[1, "文本", None], [2.5, "", date(2025, 1, 2)]]),
        lambda n: None,
    )

    ws = load_workbook(path).active
    assert written == 2
    assert ws.title == "台账"
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["甲", "乙", "丙"],
        [1, "文本", None],
        [2.5, None, "2025-01-02"],
    ]


def test_streamed_workbook_neutralises_formulas_and_drops_control_characters(tmp_path):
    path = tmp_path / "out.xlsx"

    xlsx.write_xlsx(path, "台账", ["内容"], iter([['=HYPERLINK("http://x")<&>\x01']]), lambda n: None)

    assert load_workbook(path).active["A2"].value == '\'=HYPERLINK("http://x")<&>'


def test_year_export_job_writes_every_entry_of_the_year(gazette, settings):
    seed("T", log=lambda line: None)
    admin = bench_admin()
    expected = exports.year_entries(admin, LAST_YEAR).count()

    job = export_request(kind=exports.LEDGER_YEAR.kind, params={"year": LAST_YEAR}, by=admin)
    export_run(job.pk)  # idempotent: a no-op when the eager worker already built it

    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == ExportJob.Status.DONE
    assert job.total == expected > 0
    ws = load_workbook(settings.MEDIA_ROOT / job.file.name).active
    assert ws.max_row == expected + 1
    assert ws["A1"].value == "受理日期"


@pytest.mark.parametrize("year", ["", "abc", "1999"])
def test_year_export_refuses_a_bad_year(client, gazette, year):
    client.force_login(bench_admin())

    response = client.post("/chiefservice/ledger/export/", {"year": year})

    assert response.status_code == 404
    assert not ExportJob.objects.exists()
