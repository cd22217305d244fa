"""Existing rows under the rules of 0007: a report due by the 5th of the next month; an article's quarter from
its date and a liaison's article recorded as 工作信息 (第二十一条, 第二十四条)."""

from django.db import migrations

DUE_DAY = 5  # settings.CHIEFSERVICE_REPORT_DUE_DAY's default, fixed here as it stood when this ran


def forwards(apps, schema_editor):
    reports = apps.get_model("chiefservice", "MonthlyReport").objects
    for report in reports.only("year", "month").iterator():
        year, month = report.year + report.month // 12, report.month % 12 + 1
        reports.filter(pk=report.pk).update(due_on=f"{year:04d}-{month:02d}-{DUE_DAY:02d}")
    articles = apps.get_model("chiefservice", "NewsArticle").objects
    articles.filter(officer__role="liaison").update(category="work_info")
    for article in articles.only("submitted_on").iterator():
        day = article.submitted_on
        articles.filter(pk=article.pk).update(year=day.year, quarter=(day.month - 1) // 3 + 1)


class Migration(migrations.Migration):
    dependencies = [("chiefservice", "0007_report_snapshot_article_category")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
