from django.urls import path

from . import views

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
    path("accounts/<int:pk>/unlock/", views.UnlockView.as_view(), name="unlock"),
    path("accounts/<int:pk>/second-factor/reset/", views.ResetFactorView.as_view(), name="reset_factor"),
    path("accounts/<int:pk>/roles/", views.RolesView.as_view(), name="roles"),
]
