from django.urls import URLPattern, path

from lyushunkou import views_imports as views

urlpatterns: list[URLPattern] = [
    path("jobs/<int:pk>/", views.import_job_detail, name="import-job"),
]
