"""Each unit's 招商引资项目 list and its evidence (附件1 第三条), and the year's assessment parameters."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from orgs.models import Organization
from orgs.uploads import check_evidence
from orgs.workflow import require

from .. import permissions, rules
from ..models import Evidence, Project, ScoreWeight, YearParameters
from .common import WEIGHT_OF_ANOTHER_YEAR, _require_open, _save


@transaction.atomic
def project_save(*, project: Project, by) -> Project:
    """Create or update one project of the unit's list (only while its self-evaluation is not submitted)."""
    require(permissions.can_write_projects(by, project.organization, project.year))
    if project.pk:
        original = Project.objects.get(pk=project.pk)
        _require_open(original.organization, original.year)
    else:
        project.created_by = by
    _save(project, by)
    return project


@transaction.atomic
def project_delete(*, project: Project, by) -> None:
    require(permissions.can_write_projects(by, project.organization, project.year))
    project._history_user = by
    project.delete()


@transaction.atomic
def projects_import(*, organization: Organization, year: int, projects: list[Project], by) -> int:
    """The parsed rows of an upload, saved together (the parser has already refused any bad row)."""
    require(permissions.can_write_projects(by, organization, year))
    for project in projects:
        project.organization, project.year, project.created_by = organization, year, by
        _save(project, by)
    return len(projects)


@transaction.atomic
def evidence_add(*, upload, by, organization: Organization, project=None, evaluation=None) -> Evidence:
    """A 佐证材料 file: type judged by content and size-limited before anything is stored."""
    if evaluation is not None:
        require(permissions.can_edit_evaluation(by, evaluation))
    else:
        require(permissions.can_write_projects(by, organization, project.year))
    kind = check_evidence(upload)
    evidence = Evidence(
        organization=organization,
        project=project,
        evaluation=evaluation,
        original_name=(upload.name or "file")[-200:],
        kind=kind,
        uploaded_by=by,
    )
    upload.seek(0)
    evidence.file.save(f"x.{kind}", upload, save=False)
    evidence._history_user = by
    evidence.save()
    return evidence


# --- parameters ----------------------------------------------------------------------------------------


@transaction.atomic
def parameters_ensure(*, year: int, by=None) -> YearParameters:
    """The year's parameter row and weight table, created with the documented defaults when missing."""
    if by is not None:
        require(permissions.can_edit_parameters(by, year))
    params = YearParameters.objects.filter(year=year).first()
    if params is None:
        params = YearParameters(year=year, deadline=rules.default_deadline(year))
        _save(params, by)
    if not ScoreWeight.objects.filter(year=year).exists():
        for indicator, (weight, cap) in rules.DEFAULT_WEIGHTS.items():
            _save(ScoreWeight(year=year, indicator=indicator, weight=weight, cap_pct=cap), by)
    return params


@transaction.atomic
def parameters_update(*, parameters: YearParameters, weights: list[ScoreWeight], by) -> None:
    """The year's deadline, 重大项目 thresholds and weight table, edited by the 考核组 (all or nothing); a
    published year's weights are frozen with its scores."""
    require(permissions.can_edit_parameters(by, parameters.year))
    _save(parameters, by)
    for weight in weights:
        if weight.year != parameters.year:
            raise ValidationError(WEIGHT_OF_ANOTHER_YEAR)
        _save(weight, by)
