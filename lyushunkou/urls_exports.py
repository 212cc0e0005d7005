from django.urls import URLPattern, path

from lyushunkou import views_exports as views

urlpatterns: list[URLPattern] = [
    path("jobs/<int:pk>/", views.export_job_detail, name="export-job"),
    path("jobs/<int:pk>/download/", views.export_job_download, name="export-job-download"),
]
