import sys

from django.core.management.base import BaseCommand

from awards import selectors
from awards.models import Allocation

HOLDS = "资金核对通过：{years} 个年度、{units} 个单位，已拨付净额均未超过市政府批复金额。"
BROKEN = "{year}年 单位{entity}：已拨付 {paid}、已收回 {recovered}、待收回 {pending}，批复金额 {approved}。"


def money_problems() -> tuple[list[str], int, int]:
    """The money invariant of every unit and year: nothing is paid before a 市政府批复, and what a unit keeps
    (paid − recovered − still to recover) never exceeds the amount 市政府 approved for it."""
    problems, units = [], 0
    years = sorted(set(Allocation.objects.values_list("year", flat=True)))
    for year in years:
        for entity_id, balance in selectors.balances(year).items():
            units += 1
            if balance.approved is None:
                broken = balance.net != 0
            else:
                broken = balance.net - balance.pending > balance.approved
            if broken:
                problems.append(
                    BROKEN.format(
                        year=year,
                        entity=entity_id,
                        paid=balance.paid,
                        recovered=balance.recovered,
                        pending=balance.pending,
                        approved=balance.approved,
                    )
                )
    return problems, len(years), units


class Command(BaseCommand):
    help = "核对每个年度每个单位的资金：未批复不得拨付，已拨付净额不得超过市政府批复金额；有问题时退出码为1。"

    def handle(self, *args, **options):
        problems, years, units = money_problems()
        for line in problems:
            self.stderr.write(line)
        if problems:
            sys.exit(1)
        self.stdout.write(HOLDS.format(years=years, units=units))
