"""The base app knows no domain app: each contributes its overview section, menu entry and 待办 itself."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

import orgs
from orgs import discovery

DOMAIN = {"awards", "investment", "chiefservice", "sprouts"}


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_under_orgs_imports_a_domain_app():
    root = Path(orgs.__file__).parent
    offenders = {
        str(path.relative_to(root)): sorted(_imported_top_levels(path) & DOMAIN)
        for path in root.rglob("*.py")
        if _imported_top_levels(path) & DOMAIN
    }
    assert offenders == {}


def test_the_domain_apps_are_the_app_configs_that_say_so():
    assert discovery.domain_apps() == ["awards", "investment", "chiefservice", "sprouts"]
    assert all(apps.get_app_config(name).menu for name in discovery.domain_apps())


def test_every_domain_app_contributes_its_overview_section():
    assert [app for app, _section in discovery.found("overview")] == discovery.domain_apps()
