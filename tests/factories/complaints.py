"""12315 complaints, as registered (no service ran on them: no clocks, no events)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from complaints.models import Category, Channel, Complaint, ConsumptionKind
from tests.factories import base
from tests.factories.units import UnitFactory
from units.demo import generators


class ComplaintFactory(DjangoModelFactory[Complaint]):
    """A hotline complaint about the price at a new unit, received a day ago, registered and not
    yet accepted. The respondent's name, code, address and jurisdiction are the unit's; with
    ``unit=None`` give ``respondent_name``, ``respondent_address`` and ``jurisdiction``."""

    class Meta:
        model = Complaint

    record_no = Sequence(lambda n: f"F{n:08d}")
    channel = Channel.HOTLINE
    received_at = LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    complainant_name = Sequence(lambda n: generators.person(base.rng_for("complainant", n)))
    complainant_phone = Sequence(
        lambda n: generators.phone(base.rng_for("complainant-phone", n), mobile_share=1)
    )
    unit = SubFactory(UnitFactory)
    respondent_name = LazyAttribute(lambda o: o.unit.name)
    respondent_credit_code = LazyAttribute(lambda o: o.unit.credit_code if o.unit else "")
    respondent_address = LazyAttribute(lambda o: o.unit.address)
    jurisdiction = LazyAttribute(lambda o: o.unit.jurisdiction)
    consumption_kind = ConsumptionKind.GOODS
    category = Category.PRICE
    request_text = "商品标价与结算价格不一致，要求退还差价。"
