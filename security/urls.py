from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.account, name="account"),
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/review/", views.audit_review, name="audit_review"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("accounts/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("accounts/<int:pk>/second-factor/reset/", views.reset_factor, name="reset_factor"),
    path("accounts/<int:pk>/roles/", views.roles, name="roles"),
]
