"""Print how the current routing rules would route a case — for administrators checking a rule change."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from orgs.models import Organization, OrganizationKind
from sprouts.choices import Source, Stage
from sprouts.selectors import route_facts

UNKNOWN = "未知的{what}“{value}”，可选：{choices}"


def _district(value: str) -> str:
    counties = list(Organization.objects.filter(kind=OrganizationKind.COUNTY))
    for county in counties:
        if county.matches(value):
            return county.name
    raise CommandError(
        UNKNOWN.format(what="县（区）", value=value, choices="、".join(c.name for c in counties))
    )


def _choice(enum, value: str, what: str) -> str:
    for member in enum:
        if value in (member.value, member.label):
            return member.value
    choices = "、".join(f"{m.value}（{m.label}）" for m in enum)
    raise CommandError(UNKNOWN.format(what=what, value=value, choices=choices))


class Command(BaseCommand):
    help = "按现行分办规则计算豆芽案件的牵头部门、承办单位和理由（与登记表单使用同一函数）。"

    def add_arguments(self, parser):
        parser.add_argument("--stage", required=True, help="环节：production/circulation/catering 或中文名称")
        parser.add_argument("--district", required=True, help="案发县（区），如 宝清县")
        parser.add_argument("--source", required=True, help="发现来源，如 risk_monitoring 或 风险监测")
        parser.add_argument("--criminal", action="store_true", help="涉嫌犯罪")
        parser.add_argument("--date", help="发现日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        on = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if on is None:
            raise CommandError("日期格式应为 YYYY-MM-DD")
        decision = route_facts(
            stage=_choice(Stage, options["stage"], "环节"),
            source=_choice(Source, options["source"], "发现来源"),
            district=_district(options["district"]),
            on=on,
            criminal=options["criminal"],
        )
        if decision.lead_office:
            self.stdout.write(f"承办单位：{decision.lead_office}")
            cooperating = "、".join(name for _, name in decision.cooperating) or "无"
            self.stdout.write(f"配合单位：{cooperating}")
        self.stdout.write("理由：")
        for line in decision.reasons + decision.problems:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"规则版本：{', '.join(str(i) for i in decision.rule_ids) or '无'}")
        if not decision.routed:
            raise CommandError("无法分办")
