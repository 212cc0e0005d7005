from django.urls import path

from scoring.reports import views as views_reports

urlpatterns = [
    path("reports/", views_reports.report_list, name="report-list"),
    path("reports/request/", views_reports.report_request, name="report-request"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/download/", views_reports.report_download, name="report-download"),
    path("reports/<int:pk>/retry/", views_reports.report_retry_view, name="report-retry"),
]
