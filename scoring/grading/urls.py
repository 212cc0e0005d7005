"""Routes of the score pages: grades, their explanation, replies and appeals.

A score is addressed by its unit and period, not by its row: re-scoring a period replaces the
rows, and links in notifications must keep working.
"""

from django.urls import URLPattern, path, re_path

from scoring.grading import views as views_scores
from scoring.grading import views_calibration

PERIOD = r"(?P<period>\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?)"

urlpatterns: list[URLPattern] = [
    path("grades/", views_scores.score_list, name="score-list"),
    path("grades/calibration/", views_calibration.rubric_calibration, name="rubric-calibration"),
    re_path(r"^grades/export\.(?P<fmt>xlsx|csv)$", views_scores.score_export, name="score-export"),
    re_path(
        rf"^grades/(?P<unit_pk>[0-9]+)/{PERIOD}/$",
        views_scores.score_detail,
        name="score-detail",
    ),
    re_path(
        rf"^grades/(?P<unit_pk>[0-9]+)/{PERIOD}/respond/$",
        views_scores.score_respond,
        name="score-respond",
    ),
    path("workspace/grades/", views_scores.operator_score_list, name="operator-score-list"),
    path("appeals/", views_scores.appeal_list, name="appeal-list"),
    re_path(
        r"^appeals/export\.(?P<fmt>xlsx|csv)$", views_scores.appeal_export, name="appeal-export"
    ),
    path("appeals/<int:pk>/", views_scores.appeal_detail, name="appeal-detail"),
]
