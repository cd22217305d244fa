"""Existing data under two corrected rules of 双政办发〔2020〕16号.

1. 新引进 (the base of 主导产业定位项目占比) is a project signed in the year, not one started: a frozen
   ``leading_started`` value becomes ``new_projects`` and ``leading_new``, recomputed from the unit's project
   list (locked since the evaluation was submitted). Where the 考核组 had already reviewed it, the new values
   are recorded as accepted with a comment saying they were recomputed and what the old value was.
2. A unit that never submitted its self-evaluation is 未申报 in the 通报: its row loses the 0.00 score and
   the rank it shared with the others.
"""

from django.db import migrations

RECOMPUTED = "按“新引进=当年签约”口径由项目清单重算（原“主导产业新开工项目”为 {value} 个）"


def forwards(apps, schema_editor):
    IndicatorReview = apps.get_model("investment", "IndicatorReview")
    Project = apps.get_model("investment", "Project")
    SelfEvaluation = apps.get_model("investment", "SelfEvaluation")
    ResultRow = apps.get_model("investment", "ResultRow")

    for old in IndicatorReview.objects.filter(measure="leading_started").select_related("evaluation"):
        evaluation = old.evaluation
        signed = Project.objects.filter(
            organization_id=evaluation.organization_id,
            year=evaluation.year,
            signed_on__year=evaluation.year,
        )
        values = {"new_projects": signed.count(), "leading_new": signed.filter(is_leading=True).count()}
        pending = old.status == "pending"
        final = old.corrected if old.status == "corrected" else old.reported
        for measure, value in values.items():
            IndicatorReview.objects.get_or_create(
                evaluation=evaluation,
                measure=measure,
                defaults={
                    "reported": value,
                    "status": "pending" if pending else "accepted",
                    "comment": "" if pending else RECOMPUTED.format(value=final),
                },
            )
        old.delete()

    for row in ResultRow.objects.select_related("publication"):
        status = (
            SelfEvaluation.objects.filter(organization_id=row.organization_id, year=row.publication.year)
            .values_list("status", flat=True)
            .first()
        )
        if status in (None, "draft"):
            row.not_submitted, row.score, row.rank = True, None, None
            row.save(update_fields=["not_submitted", "score", "rank"])


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0003_gazette_fidelity"),
    ]

    # Not reversible in meaning: the old values were wrong; going back leaves the corrected data in place.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
