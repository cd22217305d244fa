"""What each app offers the platform, found the way Django's admin finds ``admin.py``: the app's module
registers its function when ``autodiscover_modules`` imports it.

- ``todo.py`` — ``@discovery.todo`` on ``items(user)``: the home page's 待办;
- ``gazette.py`` — ``@discovery.gazette`` on ``load()``: the gazette's reference data (``load_gazette``);
- ``demo.py`` — ``@discovery.demo`` on ``load()``: the demo data (``load_demo``);
- ``overview.py`` — ``@discovery.overview`` on ``section(user, today)``: the app's section of the home page's
  overview (``orgs.overview.Section``, or ``None`` where the user does not see it).

The domain apps themselves are the ``AppConfig``s with ``domain = True``, each naming its main menu entry
(``menu = (url name, label)``), so that the base app never lists them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

_REGISTERED: dict[str, dict[str, Callable]] = {"todo": {}, "gazette": {}, "demo": {}, "overview": {}}


def _registrar(kind: str):
    def register(fn: Callable) -> Callable:
        # Keyed by the app, so that importing a module twice registers it once.
        _REGISTERED[kind][fn.__module__.rpartition(".")[0]] = fn
        return fn

    return register


todo = _registrar("todo")
gazette = _registrar("gazette")
demo = _registrar("demo")
overview = _registrar("overview")


def found(kind: str) -> list[tuple[str, Callable]]:
    """(app, function) of every app offering ``kind``, in the order of INSTALLED_APPS (orgs first)."""
    autodiscover_modules(kind)
    registered = _REGISTERED[kind]
    return [
        (config.name, registered[config.name])
        for config in apps.get_app_configs()
        if config.name in registered
    ]


def domain_apps() -> list[str]:
    """The domain apps, in the order of INSTALLED_APPS (the navigation order)."""
    return [config.name for config in apps.get_app_configs() if getattr(config, "domain", False)]


def menu_entries() -> list[tuple[str, str]]:
    """(url name, label) of each domain app's main menu entry, in navigation order."""
    return [config.menu for config in apps.get_app_configs() if getattr(config, "domain", False)]
