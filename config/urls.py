from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from orgs import views as org_views
from orgs.params import YearConverter
from security import views as security_views

register_converter(YearConverter, "year")  # before the apps' URLs that use <year:year>

# Chinese 403 and 404 pages in the site's frame (orgs/errors.py); the 500 page is templates/500.html.
handler403 = "orgs.errors.permission_denied"
handler404 = "orgs.errors.page_not_found"
handler500 = "orgs.failover.server_error"

admin.site.site_header = "双鸭山市人民政府办公室 行政管理平台"
admin.site.site_title = "平台管理"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("favicon.ico", org_views.favicon, name="favicon"),
    path("accounts/login/", security_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("orgs.urls")),
    path("awards/", include("awards.urls")),
    path("investment/", include("investment.urls")),
    path("chiefservice/", include("chiefservice.urls")),
    path("sprouts/", include("sprouts.urls")),
    path("security/", include("security.urls")),
    path("public/", include("chiefservice.public_urls")),
    path("admin/", admin.site.urls),
]
