"""Long lists: a paginator whose count stops at ``CAP`` rows, so a list over millions of rows never counts
them all, and the year a list of many years opens on."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 10_000


class CappedPaginator(Paginator):
    """``count`` is ``SELECT COUNT(*) FROM (… LIMIT CAP + 1)`` without ORDER BY: at most CAP + 1 rows are
    read. Beyond CAP the list offers the first CAP / per_page pages and says so (``capped``)."""

    cap = CAP

    def _queryset(self):
        # django-tables2 hands over its BoundRows; the queryset sits in ``rows.data.data``.
        data = getattr(getattr(self.object_list, "data", None), "data", self.object_list)
        return data if isinstance(data, QuerySet) else None

    @cached_property
    def total(self) -> int:
        queryset = self._queryset()
        if queryset is None:
            return len(self.object_list)
        return queryset.order_by()[: self.cap + 1].count()

    @cached_property
    def capped(self) -> bool:
        return self.total > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.total, self.cap)


class LatestYearMixin:
    """For a ``FilterView`` whose filter has ``year``: opened without one, the list shows the latest year of
    its rows — the year being worked on — instead of ten years at once; an emptied year field lists them all."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "year" not in self.request.GET:
            latest = self.get_queryset().order_by("-year").values_list("year", flat=True).first()
            if latest is not None:
                kwargs["data"] = self.request.GET.copy()
                kwargs["data"]["year"] = latest
        return kwargs
