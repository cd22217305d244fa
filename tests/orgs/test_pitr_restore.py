"""pitr_restore's target time: a minute (the procedure's unit) or a second (two writes close together)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError

from orgs.management.commands.pitr_restore import _moment

BEIJING = ZoneInfo("Asia/Shanghai")


def test_a_minute_is_read_as_beijing_time():
    assert _moment("2031-03-02 14:05") == datetime(2031, 3, 2, 14, 5, tzinfo=BEIJING)


def test_a_second_is_kept():
    assert _moment("2031-03-02 14:05:30") == datetime(2031, 3, 2, 14, 5, 30, tzinfo=BEIJING)


def test_anything_else_is_refused_with_the_expected_form():
    with pytest.raises(CommandError, match="年-月-日 时:分"):
        _moment("2031-03-02T14:05")
