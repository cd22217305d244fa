"""People are named by their name where pages show them; a choice of rows refuses an id no column can hold."""

import pytest
from django.template import Context, Template

from orgs.forms import CleanForm, ModelMultipleChoiceField
from orgs.models import Organization

pytestmark = pytest.mark.django_db


class _Choose(CleanForm):
    units = ModelMultipleChoiceField(queryset=Organization.objects.all())


@pytest.mark.parametrize("posted", ["9223372036854775808", "-9223372036854775809", "9" * 40])
def test_an_id_beyond_any_integer_column_is_a_field_error_not_a_server_error(gazette, posted):
    form = _Choose({"units": [posted]})
    assert not form.is_valid()
    assert form.errors["units"][0].startswith("选择一个有效的选项")


def test_a_storable_id_is_chosen_as_before(gazette):
    unit = Organization.objects.get(name="宝清县")
    form = _Choose({"units": [str(unit.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["units"]) == [unit]


def test_pages_name_a_person_by_name_and_the_account_keeps_its_login_name(personas):
    user = personas.reporter
    rendered = Template("{{ u|person }}").render(Context({"u": user}))
    assert rendered == user.get_full_name() != ""
    assert str(user) == user.get_username()  # the User model is not patched


def test_an_account_without_a_name_is_named_by_its_login_name(django_user_model):
    user = django_user_model.objects.create_user(username="robot-account")
    assert Template("{{ u|person }}").render(Context({"u": user})) == "robot-account"
