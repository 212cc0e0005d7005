"""Open data: anonymous, read-only, cached (``API_OPEN_CACHE_SECONDS``). Each dataset is a
cursor-paginated JSON list and a full download as CSV or JSON, with the licence and a
``Last-Modified``."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import OpenDataRateThrottle
from api.errors import LANGUAGE
from api.open_data import DATASETS, Dataset, last_modified
from api.views import OPEN_ERRORS, Pages

DATE_FIELDS = {"certified_until", "starts_on", "ends_on", "sampled_on"}
NUMBER_FIELDS = {"value", "numerator", "denominator", "threshold"}


def licence() -> str:
    return str(settings.OPEN_DATA_LICENCE) or _(
        "Open data of the Lyushunkou District Market Supervision Administration: free to reuse, "
        "with the source named."
    )


def _field(name: str) -> serializers.Field[Any, Any, Any, Any]:
    if name in DATE_FIELDS:
        return serializers.DateField(allow_null=True)
    if name == "evaluated_at":
        return serializers.DateTimeField()
    if name in NUMBER_FIELDS:
        return serializers.DecimalField(
            max_digits=24, decimal_places=6, allow_null=True, coerce_to_string=False
        )
    if name == "met":
        return serializers.BooleanField(allow_null=True)
    return serializers.CharField(allow_blank=True)


def row_serializer(dataset: Dataset) -> type[serializers.Serializer[Any]]:
    name = "Open" + "".join(part.title() for part in dataset.name.split("-"))
    attrs: dict[str, Any] = {field: _field(field) for field in dataset.fields}
    return type(name, (serializers.Serializer,), attrs)


SERIALIZERS = {name: row_serializer(dataset) for name, dataset in DATASETS.items()}
PERIOD = OpenApiParameter("period", str, description="targets only: 2026-10, 2026-Q3 or 2026")


def _params(request: HttpRequest) -> dict[str, str]:
    return {"period": str(request.GET.get("period", ""))[:10]}


@method_decorator(cache_page(settings.API_OPEN_CACHE_SECONDS), name="dispatch")
class OpenBase(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataRateThrottle]
    pagination_class = Pages  # the lists' envelope in the schema; downloads are whole
    dataset: Dataset

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override(LANGUAGE):
            response = super().dispatch(request, *args, **kwargs)
            if getattr(response, "status_code", 0) == 200:
                response["X-Licence"] = licence().encode("utf-8").decode("latin-1", "replace")
            return response

    def _dataset(self, name: str) -> Dataset:
        dataset = DATASETS.get(name)
        if dataset is None:
            raise Http404
        return dataset

    def _stamp(self, response: HttpResponseBase, dataset: Dataset, qs: Any) -> None:
        latest = last_modified(dataset, qs)
        if latest is not None:
            response["Last-Modified"] = http_date(latest.timestamp())


def _list_view(name: str) -> type[OpenBase]:
    dataset = DATASETS[name]
    serializer = SERIALIZERS[name]

    @extend_schema(
        parameters=[PERIOD] if name == "targets" else [],
        responses={200: serializer(many=True), **OPEN_ERRORS},
    )
    def get(self: OpenBase, request: Request) -> Response:
        qs = dataset.rows(_params(request._request))
        paginator = Pages()
        page = paginator.paginate_queryset(qs, request, view=self)
        rows = [dataset.row(item) for item in page or []]
        response = paginator.get_paginated_response(serializer(rows, many=True).data)
        self._stamp(response, dataset, qs)
        return response

    view_name = "Open" + "".join(part.title() for part in name.split("-")) + "List"
    return type(view_name, (OpenBase,), {"get": get, "dataset": dataset})


OPEN_LIST_VIEWS = {name: _list_view(name) for name in DATASETS}


@extend_schema(
    parameters=[PERIOD],
    responses={(200, "text/csv"): str, (200, "application/json"): dict, **OPEN_ERRORS},
    description="The whole dataset as a file, the licence first.",
)
class OpenDownload(OpenBase):
    def get(self, request: Request, name: str, extension: str) -> HttpResponse:
        dataset = self._dataset(name)
        qs = dataset.rows(_params(request._request))
        serializer = SERIALIZERS[name]
        rows = serializer(
            [dataset.row(item) for item in qs.iterator(chunk_size=2000)], many=True
        ).data
        if extension == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([licence()])
            writer.writerow(dataset.fields)
            for row in rows:
                writer.writerow(["" if row[f] is None else row[f] for f in dataset.fields])
            body = "\ufeff" + buffer.getvalue()  # Excel on Chinese Windows reads UTF-8 by the BOM
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        elif extension == "json":
            document = {"licence": licence(), "dataset": name, "rows": rows}
            response = HttpResponse(
                json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        self._stamp(response, dataset, qs)
        return response
