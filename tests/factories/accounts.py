"""Jurisdictions and users."""

from __future__ import annotations

from factory.declarations import LazyFunction, Sequence, Trait
from factory.django import DjangoModelFactory, Password

from lyushunkou.models import Jurisdiction, Role, User
from tests.conftest import PASSWORD
from tests.factories import base
from units.demo import generators


class JurisdictionFactory(DjangoModelFactory[Jurisdiction]):
    """A new street of the district (the data migration's streets are ``base.jurisdiction``)."""

    class Meta:
        model = Jurisdiction

    # 2102128xxxxx: clear of the district's real division codes (2102120…, 2102124…).
    code = Sequence(lambda n: f"2102128{n:05d}")
    name = Sequence(lambda n: f"测试街道{n}")
    kind = Jurisdiction.Kind.STREET
    parent = LazyFunction(lambda: base.jurisdiction(base.DISTRICT))
    sort_order = 90


class UserFactory(DjangoModelFactory[User]):
    """An operator unless told; ``staff``, ``street_staff`` and ``leader`` give the other
    portal roles, and ``role=`` any role. Everyone logs in with ``tests.conftest.PASSWORD``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        staff = Trait(role=Role.STAFF)
        street_staff = Trait(role=Role.STAFF, jurisdiction=LazyFunction(base.jurisdiction))
        leader = Trait(role=Role.LEADER)

    username = Sequence(lambda n: f"user{n}")
    password = Password(PASSWORD)
    role = Role.OPERATOR
    jurisdiction = None
    full_name = Sequence(lambda n: generators.person(base.rng_for("user", n)))
    phone = Sequence(lambda n: generators.phone(base.rng_for("user-phone", n), mobile_share=1))
