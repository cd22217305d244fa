from django import forms
from django.contrib.auth.models import Group

from orgs.forms import CleanForm
from orgs.roles import Role

from . import services

CODE_HELP = "手机令牌上显示的 6 位数字，或一个未用过的恢复码。"


class TokenForm(CleanForm):
    token = forms.CharField(label="验证码", max_length=32, help_text=CODE_HELP)
    token.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True})


class EnrolForm(CleanForm):
    token = forms.CharField(label="验证码", max_length=8, help_text="扫码后，手机令牌上显示的 6 位数字。")
    token.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class RolesForm(CleanForm):
    """The 安全管理员 sets a user's roles; 三员分立 is checked here and again whenever groups change."""

    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        services.check_separation(roles)
        return roles


class DeactivateForm(CleanForm):
    reason = forms.CharField(label="停用原因", max_length=200, help_text="例如：调离、退休。")


def role_initial(user) -> list[str]:
    return list(Group.objects.filter(user=user).values_list("name", flat=True))
