"""Set "now" for a test at a given hour of the Beijing day, never the machine's clock."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")
#: Early, before office hours and late in the Beijing day: a date rule must not move with the UTC date.
HOURS = ("00:30", "07:59", "23:30")


def set_clock(monkeypatch, day: date, hour: str = "10:00") -> datetime:
    h, m = (int(part) for part in hour.split(":"))
    moment = datetime(day.year, day.month, day.day, h, m, tzinfo=BEIJING).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment
