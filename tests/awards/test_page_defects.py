"""Server side of the page defects (issue: pages): the menu entry and the page ask one permission function,
and the 更正理由 a correction needs is marked required before the first try."""

from awards import permissions
from orgs.menu import sections_for

from .factories import ProjectFactory, entity


def test_a_role_with_nothing_in_the_awards_is_neither_offered_the_entry_nor_shown_an_empty_page(
    client, personas
):
    assert not permissions.can_open_awards(personas.police)
    assert "awards:index" not in dict(sections_for(personas.police))
    client.force_login(personas.police)
    response = client.get("/awards/")
    assert response.status_code == 403
    assert permissions.NOTHING_IN_AWARDS in response.content.decode()


def test_every_role_of_the_award_year_keeps_the_entry(personas):
    for name in ("reporter", "fgw_clerk", "fgw_approver", "city_office", "finance", "leader"):
        assert "awards:index" in dict(sections_for(personas[name])), name


def test_the_correction_reason_is_required_in_the_form_itself(client, personas):
    project = ProjectFactory(entity=entity("宝清县"))
    client.force_login(personas.fgw_clerk)
    response = client.get(f"/awards/projects/{project.pk}/")
    field = response.context["form"].fields["correction_reason"]
    assert field.required
    html = response.content.decode()
    assert (
        'name="correction_reason"' in html
        and "asteriskField" in html.split('for="id_correction_reason"')[1][:200]
    )
