"""Reference data of 双政办发〔2020〕15号: the 2019 scheme parameters (idempotent)."""

from __future__ import annotations

from .models import SchemeParameters


def load() -> dict[str, int]:
    _params, created = SchemeParameters.objects.get_or_create(year=2019)
    return {"scheme_2019_created": int(created)}
