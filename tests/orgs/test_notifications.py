import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from orgs.models import Notification
from orgs.notifications import notify
from orgs.roles import Role


def test_notify_reaches_every_user_of_the_role_once_with_one_email(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify("test", text="有一项待审批", url="/", key="1", roles=(Role.FGW_APPROVER,))
        notify("test", text="有一项待审批", url="/", key="1", roles=(Role.FGW_APPROVER,))
    assert Notification.objects.filter(recipient=personas.fgw_approver).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.fgw_approver.email]


def test_home_page_shows_unread_notices(client, personas):
    notify("test", text="分配表已提交，请审批", url="/awards/", key="2", users=[personas.fgw_approver])
    client.force_login(personas.fgw_approver)
    assert "分配表已提交，请审批" in client.get("/").content.decode()


def _read(client, notice):
    return client.post(f"/notifications/{notice.pk}/read/")


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "https://evil.example.com/phish",
        "//evil.example.com/phish",
        "/\\evil.example.com/phish",
        "/\tjavascript:alert(1)",
    ],
)
def test_a_stored_link_outside_the_site_leads_to_the_notification_list(client, personas, link):
    # A row as one written before links were checked: the model's validators do not run on create().
    notice = Notification.objects.create(
        recipient=personas.fgw_approver, event="t", text="t", url=link, dedupe_key=link
    )
    client.force_login(personas.fgw_approver)
    response = _read(client, notice)
    assert response.status_code == 302
    assert response.url == "/notifications/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_an_internal_link_is_followed(client, personas):
    [notice] = notify("test", text="请审批", url="/awards/?year=2024", key="3", users=[personas.fgw_approver])
    client.force_login(personas.fgw_approver)
    assert _read(client, notice).url == "/awards/?year=2024"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://evil.example.com/", "//evil.example.com/"])
def test_notify_refuses_a_link_outside_the_site_and_stores_nothing(personas, link):
    with pytest.raises(ValueError, match="本平台内的路径"):
        notify("test", text="请审批", url=link, key="4", users=[personas.fgw_approver])
    assert not Notification.objects.exists()


def test_the_model_refuses_a_link_outside_the_site(personas):
    notice = Notification(
        recipient=personas.fgw_approver, event="t", text="t", url="javascript:x", dedupe_key="k"
    )
    with pytest.raises(ValidationError) as refused:
        notice.full_clean()
    assert "url" in refused.value.message_dict
