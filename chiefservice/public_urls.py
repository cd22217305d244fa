from django.urls import path

from . import views

app_name = "chiefservice_public"

urlpatterns = [
    path("service-officers/", views.PublicRosterView.as_view(), name="roster"),
]
