"""Routes of the supervision app (risk-based supervision, issue 19)."""

from django.urls import URLPattern, path, re_path

from supervision import (
    views_figures,
    views_identity,
    views_links,
    views_plans,
    views_proposals,
    views_warnings,
)

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
    path("supervision/plans/", views_plans.plan_list, name="plan-list"),
    path("supervision/plans/draw/", views_plans.plan_draw, name="plan-draw"),
    path("supervision/plans/<int:pk>/", views_plans.plan_detail, name="plan-detail"),
    re_path(
        r"^supervision/plans/(?P<pk>[0-9]+)/export\.(?P<fmt>xlsx|csv)$",
        views_plans.plan_export,
        name="plan-export",
    ),
    path(
        "supervision/plans/<int:pk>/<str:action>/",
        views_plans.plan_action,
        name="plan-action",
    ),
    path("supervision/warnings/", views_warnings.warning_list, name="warning-list"),
    path("supervision/warnings/<int:pk>/", views_warnings.warning_detail, name="warning-detail"),
    path(
        "supervision/warnings/<int:pk>/<str:action>/",
        views_warnings.warning_action,
        name="warning-action",
    ),
    path("supervision/identity/", views_identity.identity_list, name="identity-list"),
    path(
        "supervision/identity/previous-code/",
        views_identity.identity_previous_code,
        name="identity-previous-code",
    ),
    path("supervision/identity/<int:pk>/", views_identity.identity_detail, name="identity-detail"),
    path(
        "supervision/identity/<int:pk>/<str:action>/",
        views_identity.identity_action,
        name="identity-action",
    ),
    path("supervision/links/", views_links.link_list, name="link-list"),
    path(
        "supervision/links/<str:kind>/<int:pk>/",
        views_links.link_record,
        name="link-record",
    ),
    # 双随机一公开: the published plans, for everyone.
    path("inspection-plans/", views_plans.public_plan_list, name="public-plan-list"),
    path("inspection-plans/<int:pk>/", views_plans.public_plan_detail, name="public-plan-detail"),
]
