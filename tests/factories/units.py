"""Units and their 12315 service stations."""

from __future__ import annotations

import datetime as dt

from factory.declarations import LazyAttributeSequence, LazyFunction, Sequence, SubFactory, Trait
from factory.django import DjangoModelFactory

from lyushunkou.credit_codes import generate_credit_code
from tests.factories import base
from units.demo import generators
from units.demo.data import ROADS
from units.models import DemonstrationStatus, EntityKind, Industry, ServiceStation, Unit


def _road(n: int) -> str:
    return base.rng_for("unit-road", n).choice(ROADS)


class UnitFactory(DjangoModelFactory[Unit]):
    """A registered enterprise in 登峰街道 (retail unless told), named, addressed and staffed as
    the demo seeder would, with a valid credit code of its own. ``certified=True`` makes it a
    demonstration unit with a certificate valid from 2026-01-01 to 2099-12-31."""

    class Meta:
        model = Unit

    class Params:
        certified = Trait(
            demonstration_status=DemonstrationStatus.APPROVED,
            certificate_no=Sequence(lambda n: f"LSK-T-{n:05d}"),
            certified_from=dt.date(2026, 1, 1),
            certified_until=dt.date(2099, 12, 31),
        )

    # Entity type "1" (an enterprise), which the kind below declares.
    credit_code = Sequence(lambda n: generate_credit_code(base.rng_for("unit-code", n)))
    kind = EntityKind.ENTERPRISE
    industry = Industry.RETAIL
    jurisdiction = LazyFunction(base.jurisdiction)
    name = LazyAttributeSequence(
        lambda o, n: generators.unit_name(
            base.rng_for("unit-name", n), "1", o.industry, _road(n), ""
        )
    )
    address = LazyAttributeSequence(
        lambda o, n: generators.address(
            base.rng_for("unit-address", n), o.jurisdiction.name, _road(n)
        )
    )
    legal_representative = Sequence(lambda n: generators.person(base.rng_for("unit-legal", n)))
    contact_person = Sequence(lambda n: generators.person(base.rng_for("unit-contact", n)))
    contact_phone = Sequence(lambda n: generators.phone(base.rng_for("unit-phone", n)))
    owner = None


class ServiceStationFactory(DjangoModelFactory[ServiceStation]):
    """An active 12315 service station, registered on 2025-01-01, of a new unit unless told."""

    class Meta:
        model = ServiceStation

    unit = SubFactory(UnitFactory)
    contact_person = Sequence(lambda n: generators.person(base.rng_for("station", n)))
    phone = Sequence(lambda n: generators.phone(base.rng_for("station-phone", n), mobile_share=0))
    hours = "09:00-17:00"
    location = "一楼服务台"
    active = True
    registered_on = dt.date(2025, 1, 1)
