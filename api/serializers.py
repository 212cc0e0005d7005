"""What the read endpoints show. Complainants' personal data is always masked
(``lyushunkou.masking``); the API has no unmasking: that needs a person, a reason and the page."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from complaints.models import Complaint
from inspections.models import SamplingBatch
from lyushunkou.masking import mask
from scoring.models import TargetResult, UnitScore
from units.models import Unit


class SummarySerializer(serializers.Serializer[Any]):
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class FieldErrorSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    errors = FieldErrorSerializer(many=True)  # type: ignore[assignment]  # the body's key


class UnitSerializer(serializers.ModelSerializer[Unit]):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    jurisdiction_name = serializers.CharField(source="jurisdiction.name")
    plaque_status = serializers.SerializerMethodField()
    latest_grade = serializers.SerializerMethodField()
    latest_grade_period = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "public_id",
            "name",
            "credit_code",
            "kind",
            "industry",
            "address",
            "jurisdiction",
            "jurisdiction_name",
            "business_status",
            "demonstration_status",
            "plaque_status",
            "certificate_no",
            "certified_from",
            "certified_until",
            "latest_grade",
            "latest_grade_period",
            "updated_at",
        ]

    def get_plaque_status(self, unit: Unit) -> str:
        return unit.plaque_status()

    def _score(self, unit: Unit) -> UnitScore | None:
        scores: dict[int, UnitScore] = self.context.get("scores", {})
        return scores.get(unit.pk)

    def get_latest_grade(self, unit: Unit) -> str | None:
        score = self._score(unit)
        return score.grade if score is not None else None

    def get_latest_grade_period(self, unit: Unit) -> str | None:
        score = self._score(unit)
        return score.period if score is not None else None


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    complainant_name = serializers.SerializerMethodField()
    complainant_phone = serializers.SerializerMethodField()
    unit_id = serializers.IntegerField(source="unit.pk", allow_null=True, default=None)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "record_no",
            "kind",
            "channel",
            "received_at",
            "complainant_name",
            "complainant_phone",
            "unit_id",
            "respondent_name",
            "respondent_credit_code",
            "jurisdiction",
            "consumption_kind",
            "category",
            "amount_involved",
            "status",
            "outcome",
            "accepted_on",
            "concluded_on",
            "amount_recovered",
            "satisfaction",
            "updated_at",
        ]

    def get_complainant_name(self, complaint: Complaint) -> str:
        return mask(complaint.complainant_name, "name")

    def get_complainant_phone(self, complaint: Complaint) -> str:
        return mask(complaint.complainant_phone, "phone")


class SamplingBatchSerializer(serializers.ModelSerializer[SamplingBatch]):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    unit_id = serializers.IntegerField(source="unit.pk", allow_null=True, default=None)

    class Meta:
        model = SamplingBatch
        fields = [
            "id",
            "sample_no",
            "sampled_on",
            "sampling_type",
            "category",
            "stage",
            "product_name",
            "specification",
            "batch_or_production_date",
            "unit_id",
            "sampled_unit_name",
            "sampled_unit_credit_code",
            "jurisdiction",
            "nominal_manufacturer",
            "lab",
            "result",
            "failed_items",
            "retest_result",
            "final_result",
            "updated_at",
        ]


class GradeSerializer(serializers.ModelSerializer[UnitScore]):
    unit_id = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    rubric = serializers.IntegerField(source="rubric.version")
    evidence = serializers.JSONField()
    vetoes = serializers.JSONField()
    unevidenced = serializers.JSONField()

    class Meta:
        model = UnitScore
        fields = [
            "id",
            "unit_id",
            "unit_name",
            "period",
            "as_of",
            "rubric",
            "jurisdiction",
            "demonstration",
            "quality",
            "safety",
            "price",
            "service",
            "rights",
            "total",
            "grade",
            "capped_by",
            "vetoes",
            "unevidenced",
            "evidence",
            "computed_at",
        ]


class _DetailFlag(serializers.BooleanField):
    """A judging flag of the result's ``detail`` (scoring.targets.judge), false when absent."""

    def __init__(self, key: str, **kwargs: Any) -> None:
        self.key = key
        super().__init__(source="detail", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> bool:
        return bool((value or {}).get(self.key))


class TargetResultSerializer(serializers.ModelSerializer[TargetResult]):
    """A stored figure; why ``met`` is null, when it is, is in the flags (DESIGN.md §6)."""

    scope = serializers.CharField(source="scope_code")
    insufficient = _DetailFlag(
        "insufficient", help_text="Below the minimum denominator (样本不足): not judged."
    )
    open = _DetailFlag("open", help_text="The period has not ended (进行中).")
    pending = _DetailFlag(
        "pending", help_text="Short of the threshold while the period runs: not judged yet."
    )

    class Meta:
        model = TargetResult
        fields = [
            "period",
            "scope",
            "key",
            "label",
            "value",
            "numerator",
            "denominator",
            "comparator",
            "threshold",
            "met",
            "insufficient",
            "open",
            "pending",
            "evaluated_at",
        ]
