import sys

from django.core.management.base import BaseCommand, CommandError

from security import anchors, audit
from security.models import AuditEvent, PendingAuditEvent

NO_ANCHOR = "注意：没有锚点（{path} 不存在），只核对了链本身；最新记录被删或整表被清空无法由此发现。"
PENDING = "另有 {count} 条记录已随业务提交，正待入链（写入不足 {minutes} 分钟）。"


class Command(BaseCommand):
    help = (
        "用 AUDIT_HMAC_KEY 校验审计记录的 MAC 链，并与最新的锚点核对：报告被改写、被删除的记录，"
        "被删除的链头、被截断的链尾和被清空的审计记录（发现问题时退出码为 1）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor-seq", type=int, help="用另存的锚点（如审计记录日报中的）核对：链头序号")
        parser.add_argument("--anchor-mac", help="另存锚点的链头 MAC")

    def handle(self, *args, **options):
        log = anchors.read()
        anchor = log.newest
        if (options["anchor_seq"] is None) != (options["anchor_mac"] is None):
            raise CommandError("--anchor-seq 与 --anchor-mac 须同时给出。")
        if options["anchor_seq"] is not None:
            anchor = anchors.Anchor(
                at=anchor.at if anchor else "1970-01-01T00:00:00+00:00",
                seq=options["anchor_seq"],
                mac=options["anchor_mac"],
                first=anchor.first if anchor else 1,
                reason=anchors.GIVEN,
            )
            log = anchors.Log(log.anchors + [anchor], log.bad_lines, log.exists)
        findings = audit.verify_against_anchors(log)
        if findings:
            self.stderr.write(f"审计链校验失败，发现 {len(findings)} 处问题：")
            for finding in findings:
                self.stderr.write(f"  {finding}")
            sys.exit(1)
        total = AuditEvent.objects.count()
        if anchor is None:
            self.stdout.write(f"审计链完整：共 {total} 条记录。")
            self.stdout.write(NO_ANCHOR.format(path=anchors.path()))
        else:
            self.stdout.write(
                f"审计链完整：共 {total} 条记录，与{anchor.describe()}记载的链头 #{anchor.seq} 一致。"
            )
        if pending := PendingAuditEvent.objects.count():
            self.stdout.write(PENDING.format(count=pending, minutes=audit.SEAL_OVERDUE.seconds // 60))
