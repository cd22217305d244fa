"""Server time and query counts of every list, detail and home page, found from the URL resolver.

A list page is any view built on django-tables2's ``SingleTableMixin``; a detail page any ``DetailView``.
Each is requested through Django's test client (warm) as the benchmark's reader (``bench.seed.bench_reader``:
领导, who sees every row, with every business role, so that one account opens every page): the worst case for
both time and queries. The Django admin's changelist it is compared with is opened by the 系统管理员.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import DetailView
from django_tables2 import SingleTableMixin

from .metrics import Results, median, p95, timed

QUERY_BUDGET = 12
REPEAT = 15

# Detail pages built on TemplateView (no ``model`` to read): the model whose newest row they show.
DETAIL_MODELS = {
    "chiefservice:officer_detail": "chiefservice.Officer",
    "chiefservice:subject_detail": "chiefservice.ServedSubject",
    "chiefservice:ledger_detail": "chiefservice.LedgerEntry",
    "chiefservice:report_detail": "chiefservice.MonthlyReport",
    "chiefservice:meeting_detail": "chiefservice.Meeting",
    "chiefservice:case_detail": "chiefservice.AccountabilityCase",
    "sprouts:case_detail": "sprouts.Case",
    "investment:target_detail": "investment.TargetSet",
    "investment:project_detail": "investment.Project",
    "investment:evaluation_detail": "investment.SelfEvaluation",
    "investment:proposal_detail": "investment.IncentiveProposal",
}


@dataclass
class Page:
    name: str
    kind: str  # list / detail / home
    url: str
    model: type | None


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _model_of(view_class):
    model = getattr(view_class, "model", None)
    table = getattr(view_class, "table_class", None)
    if model is None and table is not None:
        model = getattr(table._meta, "model", None)
    return model


def _detail_model(name, view_class):
    from django.apps import apps

    label = DETAIL_MODELS.get(name)
    if label is not None:
        try:
            return apps.get_model(label)
        except LookupError:
            return None
    if issubclass(view_class, DetailView):
        return _model_of(view_class)
    return None


def discover() -> list[Page]:
    pages = [Page("home", "home", "/", None)]
    for name, pattern in _walk(get_resolver()):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None:
            continue
        converters = pattern.pattern.converters
        if issubclass(view_class, SingleTableMixin) and not converters:
            pages.append(Page(name, "list", reverse(name), _model_of(view_class)))
        elif name.endswith(":index") and not converters:
            pages.append(Page(name, "index", reverse(name), None))
        elif set(converters) == {"pk"} and (model := _detail_model(name, view_class)) is not None:
            obj = model._default_manager.order_by("-pk").first()
            if obj is None:
                continue
            try:
                url = reverse(name, kwargs={"pk": obj.pk})
            except NoReverseMatch:
                continue
            pages.append(Page(name, "detail", url, model))
    return pages


class QueryCounter:
    """Counts the SQL statements a block runs (``execute_wrapper``: request signals cannot reset it)."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return len(self.statements)


def count_queries(client: Client, url: str) -> tuple[int, int]:
    """(status, number of queries) of one request."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        status = client.get(url).status_code
    return status, len(counter)


def measure_pages(results: Results, client: Client, scale: str, admin_client: Client) -> None:
    for page in discover():
        client.get(page.url)  # warm
        status, count = count_queries(client, page.url)
        times = timed(lambda url=page.url: client.get(url), REPEAT)
        label = f"{page.kind}:{page.name}"
        results.record(f"{label}:status", status, "http", "200", status == 200)
        if page.kind == "list":
            results.record(
                f"{label}:queries@{scale}", count, "queries", f"<= {QUERY_BUDGET}", count <= QUERY_BUDGET
            )
        results.record(f"{label}:median", median(times), "ms", "< 300", median(times) < 300)
        results.record(f"{label}:p95", p95(times), "ms", "< 300", p95(times) < 300)
        if page.kind == "list" and page.model is not None:
            _compare_with_admin(results, admin_client, page, median(times))


def _compare_with_admin(results: Results, client: Client, page: Page, ours_ms: float) -> None:
    meta = page.model._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return
    client.get(url)
    admin_ms = median(timed(lambda: client.get(url), REPEAT))
    ratio = ours_ms / admin_ms if admin_ms else 0
    results.record(f"list:{page.name}:vs_admin", ratio, "ratio", "<= 1.0", ratio <= 1.0)
