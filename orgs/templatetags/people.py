"""``{{ user|person }}``: a person as pages name them (``orgs.people.person_name``); a built-in of the
templates (``config.settings.TEMPLATES``)."""

from django import template

from orgs.people import person_name

register = template.Library()
register.filter("person", person_name)
