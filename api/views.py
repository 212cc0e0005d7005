"""The token endpoints: posting complaints and sampling results, and reading what the pages
show the client's system account (its jurisdiction scope, masked personal data)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers
from api.auth import HasScope, TokenAuthentication, TokenRateThrottle
from api.errors import LANGUAGE
from api.ingest import MAX_BATCH
from api.models import Scope
from api.selectors import empty, target_results
from api.views_ingest import post_batch
from complaints import exports as complaint_exports
from complaints.filters import ComplaintFilter, complaint_list_queryset
from complaints.imports import import_complaints
from complaints.models import Complaint
from inspections import exports as sampling_exports
from inspections.filters import SamplingFilter
from inspections.imports import import_sampling
from inspections.models import SamplingBatch
from inspections.selectors import sampling_list_queryset
from lyushunkou.models import User
from scoring.grading.access import latest_scores, scores_for_user
from scoring.models import TargetResult, UnitScore
from units.access import units_for_user
from units.models import Unit

ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="invalid"),
    401: OpenApiResponse(serializers.ErrorSerializer, description="no, unknown, expired token"),
    403: OpenApiResponse(serializers.ErrorSerializer, description="outside the token's scope"),
    404: OpenApiResponse(serializers.ErrorSerializer, description="invalid cursor"),
    429: OpenApiResponse(serializers.ErrorSerializer, description="rate limit"),
}
OPEN_ERRORS = {key: ERRORS[key] for key in (400, 404, 429)}
WRITE_ERRORS = {
    **ERRORS,
    413: OpenApiResponse(serializers.ErrorSerializer, description=f"over {MAX_BATCH} records"),
    422: OpenApiResponse(serializers.ErrorSerializer, description="Idempotency-Key reused"),
}
WRITE_PARAMETERS = [
    OpenApiParameter(
        "Idempotency-Key",
        str,
        OpenApiParameter.HEADER,
        description="A retry with the same key gets the first answer again.",
    ),
    OpenApiParameter("dry_run", bool, description="Check every record, write nothing."),
]


class Pages(CursorPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-pk"


class TokenView(generics.ListAPIView):  # type: ignore[type-arg]
    """A list (and for some a POST) for a token carrying the scope of ``scopes``."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [TokenRateThrottle]
    pagination_class = Pages
    scopes: dict[str, str] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override(LANGUAGE):  # the API answers in Chinese
            return super().dispatch(request, *args, **kwargs)

    @property
    def account(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user


@extend_schema(responses={200: serializers.ComplaintSerializer(many=True), **ERRORS})
class ComplaintList(TokenView):
    serializer_class = serializers.ComplaintSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComplaintFilter
    scopes = {"GET": Scope.COMPLAINTS_READ, "POST": Scope.COMPLAINTS_WRITE}

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema, generated without a caller
            return empty(Complaint)
        return complaint_list_queryset(self.account)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=WRITE_PARAMETERS,
        responses={200: serializers.SummarySerializer, **WRITE_ERRORS},
        description="One complaint (an object) or up to 1,000 (a list), keyed by the 12315 "
        "file's headers (登记编号 …) or the columns' keys (record_no …).",
    )
    def post(self, request: Request) -> Response:
        return post_batch(
            request,
            endpoint="complaints",
            columns=complaint_exports.COLUMNS,
            importer=import_complaints,
        )


@extend_schema(responses={200: serializers.SamplingBatchSerializer(many=True), **ERRORS})
class SamplingList(TokenView):
    serializer_class = serializers.SamplingBatchSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SamplingFilter
    scopes = {"GET": Scope.SAMPLING_READ, "POST": Scope.SAMPLING_WRITE}

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return empty(SamplingBatch)
        return sampling_list_queryset(self.account)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=WRITE_PARAMETERS,
        responses={200: serializers.SummarySerializer, **WRITE_ERRORS},
        description="One sampling batch (an object) or up to 1,000 (a list), keyed by the "
        "sampling file's headers (抽样单编号 …) or the columns' keys (sample_no …).",
    )
    def post(self, request: Request) -> Response:
        return post_batch(
            request,
            endpoint="sampling",
            columns=sampling_exports.COLUMNS,
            importer=import_sampling,
        )


@extend_schema(responses={200: serializers.UnitSerializer(many=True), **ERRORS})
class UnitList(TokenView):
    serializer_class = serializers.UnitSerializer
    scopes = {"GET": Scope.UNITS_READ}

    def get_queryset(self) -> QuerySet[Unit]:
        return units_for_user(self.account).select_related("jurisdiction")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        page = getattr(self, "_page", None)
        context["scores"] = latest_scores(self.account, page) if page else {}
        return context

    def paginate_queryset(self, queryset: Any) -> Any:
        self._page = super().paginate_queryset(queryset)
        return self._page


PERIOD = OpenApiParameter("period", str, description="2026-10, 2026-Q3 or 2026")


@extend_schema(
    parameters=[PERIOD], responses={200: serializers.GradeSerializer(many=True), **ERRORS}
)
class GradeList(TokenView):
    serializer_class = serializers.GradeSerializer
    scopes = {"GET": Scope.GRADES_READ}

    def get_queryset(self) -> QuerySet[UnitScore]:
        qs = scores_for_user(self.account)
        period = self.request.query_params.get("period", "")
        return qs.filter(period=period) if period else qs


@extend_schema(
    parameters=[
        PERIOD,
        OpenApiParameter("scope", str, description="“district” or a 12-digit division code"),
    ],
    responses={200: serializers.TargetResultSerializer(many=True), **ERRORS},
)
class TargetList(TokenView):
    serializer_class = serializers.TargetResultSerializer
    scopes = {"GET": Scope.TARGETS_READ}

    def get_queryset(self) -> QuerySet[TargetResult]:
        return target_results(self.account, self.request.query_params)
