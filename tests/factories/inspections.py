"""Sampling batches (抽检)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from inspections.models import (
    ProductCategory,
    SamplingBatch,
    SamplingResult,
    SamplingType,
)
from tests.factories.units import UnitFactory


class SamplingBatchFactory(DjangoModelFactory[SamplingBatch]):
    """A supervisory food batch sampled at a new unit ten days ago, passed. ``result="fail"``
    names a failed item; the final result follows the re-test when there is one."""

    class Meta:
        model = SamplingBatch

    sample_no = Sequence(lambda n: f"FAC{n:08d}")
    sampled_on = LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    sampling_type = SamplingType.SUPERVISORY
    category = ProductCategory.FOOD
    product_name = "花生油"
    unit = SubFactory(UnitFactory)
    sampled_unit_name = LazyAttribute(lambda o: o.unit.name)
    sampled_unit_credit_code = LazyAttribute(lambda o: o.unit.credit_code if o.unit else "")
    sampled_unit_address = LazyAttribute(lambda o: o.unit.address if o.unit else "")
    jurisdiction = LazyAttribute(lambda o: o.unit.jurisdiction)
    lab = "大连市产品质量检验检测研究院"
    result = SamplingResult.PASS
    failed_items = LazyAttribute(lambda o: "酸价" if o.result == SamplingResult.FAIL else "")
    retest_result = ""
    final_result = LazyAttribute(lambda o: SamplingBatch.final_of(o.result, o.retest_result))
