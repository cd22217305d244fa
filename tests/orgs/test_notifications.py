from django.core import mail

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
