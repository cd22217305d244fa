from django import template

from orgs.table_body import render_body

register = template.Library()


@register.simple_tag(takes_context=True)
def table_body(context, table):
    """The rows of ``table``'s page (``orgs.table_body``)."""
    return render_body(table, context)
