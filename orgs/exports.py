"""The organization directory (组织机构名录) as an asynchronous export."""

from openpyxl import Workbook

from . import exporting
from .access import visible
from .excel import print_setup
from .models import Organization

HEADER = ["序号", "名称", "类别", "奖励分组", "监管条线", "所属县（区）", "别名"]


def _count(params, user) -> int:
    return visible(user, Organization).count()


def _build(params, user, path, progress) -> None:
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("组织机构名录")
    print_setup(ws)
    ws.append(HEADER)
    rows = (
        (
            number,
            org.name,
            org.get_kind_display(),
            org.get_award_group_display() or "",
            org.get_sector_display() or "",
            org.district.name if org.district_id else "",
            "、".join(org.aliases),
        )
        for number, org in enumerate(
            visible(user, Organization)
            .select_related("district")
            .order_by("directory_order", "pk")
            .iterator(chunk_size=2000),
            start=1,
        )
    )
    exporting.stream_rows(ws, rows, progress)
    workbook.save(path)


DIRECTORY = exporting.register(
    "orgs.directory", title=lambda params: "组织机构名录", build=_build, count=_count
)
