"""The organization directory (组织机构名录) as an asynchronous export."""

import itertools

from django.utils import timezone

from . import exporting, xlsx
from .access import visible
from .models import Organization

TITLE = "组织机构名录"
HEADER = ["序号", "名称", "类别", "奖励分组", "监管条线", "所属县（区）", "别名"]


def _count(params, user) -> int:
    return visible(user, Organization).count()


def rows(user):
    organizations = (
        visible(user, Organization)
        .select_related("district")
        .order_by("directory_order", "pk")
        .iterator(chunk_size=2000)
    )
    for number, org in enumerate(organizations, start=1):
        yield [
            number,
            org.name,
            org.get_kind_display(),
            org.get_award_group_display() or "",
            org.get_sector_display() or "",
            org.district.name if org.district_id else "",
            "、".join(org.aliases),
        ]


def _build(params, user, path, progress) -> None:
    sheet = xlsx.Sheet(
        TITLE,
        itertools.chain([HEADER], rows(user)),
        widths=(6, 34, 12, 10, 10, 14, 40),
        title=TITLE,
        status=xlsx.status_as_of(timezone.localdate()),
        formats=(xlsx.INTEGER,),
    )
    xlsx.write_workbook(path, [sheet], progress)


DIRECTORY = exporting.register("orgs.directory", title=lambda params: TITLE, build=_build, count=_count)
