"""``__in`` lookups that ignore integers no database can store, instead of crashing.

A tampered form that posts an id like 9223372036854775808 for a multiple-choice field reaches
``pk__in=[…]``; SQLite raises ``OverflowError`` (a 500) where Django's ``exact`` lookup already treats such
a value as matching nothing. Dropping values outside the 64-bit range gives the same answer on every
database — no row can have them — and the form then says "不是可用的选项" next to the field.
"""

from django.db import models
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _storable(values):
    if not isinstance(values, list | tuple | set | frozenset):
        return values  # a subquery or an expression
    kept = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            kept.append(value)
            continue
        if INT64_MIN <= number <= INT64_MAX:
            kept.append(value)
    return kept


@models.IntegerField.register_lookup
class IntegerIn(In):
    def get_prep_lookup(self):
        self.rhs = _storable(self.rhs)
        return super().get_prep_lookup()


@ForeignObject.register_lookup
class RelatedIntegerIn(RelatedIn):
    def get_prep_lookup(self):
        self.rhs = _storable(self.rhs)
        return super().get_prep_lookup()
