"""The platform's lookups: ``__in`` that ignores integers no database can store, and ``__any`` (``AnyOf``).

A tampered form that posts an id like 9223372036854775808 for a multiple-choice field reaches
``pk__in=[…]``; SQLite raises ``OverflowError`` (a 500) where Django's ``exact`` lookup already treats such
a value as matching nothing. Dropping values outside the 64-bit range gives the same answer on every
database — no row can have them — and the form then says "不是可用的选项" next to the field.
"""

from django.db import models
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn, RelatedLookupMixin
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


@models.Field.register_lookup
class AnyOf(In):
    """``field__any=subquery``: the same rows as ``__in``, planned for a scope of several alternatives.

    A user's scope is often "these columns name my organization, or the row is among those of another
    table" (``Q(lead_office=org) | Q(pk__in=handed)``). PostgreSQL cannot combine an ``IN (subquery)``
    with the other alternatives' indexes, so it reads the whole table: 67 ms over 200,000 sprout cases
    for an office that has none. Written ``pk = ANY(ARRAY(subquery))``, the subquery runs once into an
    array and each alternative uses its index (BitmapOr): 4 ms. Other databases get ``IN``.
    """

    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


@ForeignObject.register_lookup
class RelatedAnyOf(RelatedLookupMixin, AnyOf):
    """``foreign_key__any=subquery`` (``AnyOf`` for a relation's column)."""
