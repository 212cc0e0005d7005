"""Routes of the complaints app, one module per audience."""

from django.urls import include, path, re_path

from complaints import views_survey

urlpatterns = [
    path("", include("complaints.urls_import")),
    path("", include("complaints.urls_staff")),
    path("", include("complaints.urls_operator")),
    path("", include("complaints.urls_public")),
    path("surveys/", views_survey.survey_list, name="survey-list"),
    re_path(
        r"^surveys/export\.(?P<fmt>xlsx|csv)$", views_survey.survey_export, name="survey-export"
    ),
]
