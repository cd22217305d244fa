from django.urls import path

from . import permissions, services, views

app_name = "security"

urlpatterns = [
    path("", views.account, name="account"),
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/review/", views.AuditReviewView.as_view(), name="audit_review"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/deactivate/", views.DeactivateView.as_view(), name="deactivate"),
    path(
        "accounts/<int:pk>/unlock/",
        views.AccountServiceView.as_view(
            permission=permissions.can_unlock, service=services.unlock, done="账号 {username} 已解除锁定。"
        ),
        name="unlock",
    ),
    path(
        "accounts/<int:pk>/second-factor/reset/",
        views.AccountServiceView.as_view(
            permission=permissions.can_reset_second_factor,
            service=services.reset_second_factor,
            done="已解除 {username} 的手机令牌，其下次登录时须重新绑定。",
        ),
        name="reset_factor",
    ),
    path("accounts/<int:pk>/roles/", views.RolesView.as_view(), name="roles"),
]
