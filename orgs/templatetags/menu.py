from django import template
from django.urls import reverse
from django.utils.html import format_html

from orgs.menu import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name, *args):
    """``{% may_open "app:name" as allowed %}``: whether the signed-in user may open that page."""
    return _may_open(context["request"].user, url_name, *args)


@register.simple_tag(takes_context=True)
def nav_tab(context, url_name, label, *args, key=None, current=None):
    """One tab of an app's menu, left out when the user may not open its page. The current page is marked:
    the tab whose ``key`` equals ``current`` where a tab stands for several pages, else the tab of this path."""
    request = context["request"]
    if not _may_open(request.user, url_name, *args):
        return ""
    url = reverse(url_name, args=args)
    if (key == current) if key is not None else (request.path == url):
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}">{}</a></li>',
            url,
            label,
        )
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', url, label)
