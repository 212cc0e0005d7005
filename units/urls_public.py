"""Public routes, no login: plaque pages reached by QR code, the directory, and the pages of
demonstration blocks and industries."""

from django.urls import path

from units import views_blocks, views_notice, views_public

urlpatterns = [
    path("u/<str:public_id>/", views_public.plaque, name="plaque"),
    path("u/<str:public_id>/plaque/", views_public.plaque_print, name="plaque-print"),
    path("u/<str:public_id>/qr.<str:fmt>", views_public.plaque_qr, name="plaque-qr"),
    path("units/demonstration/", views_public.directory, name="directory"),
    path("notice/", views_notice.notice_list, name="notice-list"),
    path("notice/<int:pk>/objection/", views_notice.objection_new, name="objection-new"),
    path("blocks/", views_blocks.block_list, name="block-list"),
    path("blocks/<int:pk>/", views_blocks.block_detail, name="block-detail"),
    path("industries/<int:pk>/", views_blocks.industry_detail, name="industry-detail"),
]
