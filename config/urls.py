from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from orgs import views as org_views
from orgs.forms import LoginForm

admin.site.site_header = "双鸭山市人民政府办公室 行政管理平台"
admin.site.site_title = "平台管理"

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("orgs.urls")),
    path("awards/", include("awards.urls")),
    path("investment/", include("investment.urls")),
    path("chiefservice/", include("chiefservice.urls")),
    path("sprouts/", include("sprouts.urls")),
    path("public/", include("chiefservice.public_urls")),
    path("admin/", admin.site.urls),
]
