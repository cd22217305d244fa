from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectFormView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectFormView.as_view(), name="project_update"),
    path("targets/", views.TargetFormView.as_view(), name="target_edit"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("<int:year>/scheme/", views.SchemeView.as_view(), name="scheme"),
    path("<int:year>/compute/", views.ComputeView.as_view(), name="compute"),
    path("<int:year>/", views.AllocationView.as_view(), name="allocation"),
    path("<int:year>/entity/<int:entity>/", views.AllocationLineView.as_view(), name="allocation_line"),
    path("<int:year>/export/", views.ExportView.as_view(), name="export"),
]
