"""Routes of the supervision app (risk-based supervision, issue 19)."""

from django.urls import URLPattern, path, re_path

from supervision import views_figures, views_proposals

urlpatterns: list[URLPattern] = [
    path("supervision/proposals/", views_proposals.proposal_list, name="proposal-list"),
    path(
        "supervision/proposals/generate/",
        views_proposals.proposal_generate,
        name="proposal-generate",
    ),
    re_path(
        r"^supervision/proposals/export\.(?P<fmt>xlsx|csv)$",
        views_proposals.proposal_export,
        name="proposal-export",
    ),
    path(
        "supervision/proposals/<int:pk>/",
        views_proposals.proposal_detail_view,
        name="proposal-detail",
    ),
    path(
        "supervision/proposals/<int:pk>/<str:action>/",
        views_proposals.proposal_action,
        name="proposal-action",
    ),
    path("supervision/figures/", views_figures.figures, name="supervision-figures"),
]
