"""The targets' admin page shows and takes rates as percentages (96 next to "%") and stores the
fraction the figures compare with (0.96), issue 15 item 5."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lyushunkou.models import User
from scoring.models import Target
from scoring.targets.forms import TargetAdminForm
from tests.conftest import client_for
from tests.scoring.targets_helpers import target_form

pytestmark = pytest.mark.django_db


def rate() -> Target:
    return Target.objects.get(key="key_goods_sampling_pass_rate", scope="district")


def test_a_rate_is_shown_in_the_form_as_its_percentage() -> None:
    form = TargetAdminForm(instance=rate())  # 0.9600 in the data migration

    assert form["threshold"].value() == Decimal(96)


def test_a_percentage_typed_is_stored_as_a_fraction() -> None:
    target = rate()
    form = TargetAdminForm(target_form(target, threshold="96.5"), instance=target)

    assert form.is_valid(), form.errors
    form.save()
    target.refresh_from_db()
    assert target.threshold == Decimal("0.965")


def test_a_percentage_over_100_is_refused_naming_the_field() -> None:
    target = rate()
    form = TargetAdminForm(target_form(target, threshold="0.96"), instance=target)
    assert form.is_valid()  # 0.96% is a percentage, if an odd one

    form = TargetAdminForm(target_form(target, threshold="960"), instance=target)
    assert not form.is_valid()
    assert "threshold" in form.errors


def test_a_figure_that_is_not_a_rate_is_stored_as_typed() -> None:
    target = Target.objects.get(key="food_sampling_per_thousand", scope="district")
    form = TargetAdminForm(target_form(target, threshold="2.5"), instance=target)

    assert form.is_valid(), form.errors
    form.save()
    target.refresh_from_db()
    assert target.threshold == Decimal("2.5")


def test_the_list_shows_rates_as_percentages(sysadmin: User) -> None:
    html = client_for(sysadmin).get(reverse("admin:scoring_target_changelist")).content.decode()

    assert "96%" in html
    assert "0.9600" not in html
