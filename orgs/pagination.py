"""A paginator whose count stops at ``CAP`` rows, so a list over millions of rows never counts them all."""

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
