"""One form for the five commitments: saved together, or none, with the refused one named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lyushunkou.models import User
from tests.conftest import client_for
from units.models import Commitment, Unit

pytestmark = pytest.mark.django_db

ALL_FIVE = {
    "first_ask-content": "首问负责，不推诿",
    "first_ask-active": "on",
    "advance_comp-content": "消费纠纷先行赔付",
    "advance_comp-active": "on",
    "purchase-content": "进货查验，索证索票",
    "purchase-active": "on",
    "return-content": "七日无理由退货",
    "return-return_days": "7",
    "return-return_scope": "除生鲜食品外的商品",
    "return-active": "on",
    "service-content": "投诉当日受理，十个工作日内办结",
    "service-active": "on",
}


def kinds(unit: Unit) -> set[str]:
    return set(unit.commitments.values_list("kind", flat=True))


def test_all_five_are_saved_with_one_press(operator: User, unit: Unit) -> None:
    url = reverse("workspace-commitments", args=[unit.pk])
    response = client_for(operator).post(url, ALL_FIVE, follow=True)
    assert kinds(unit) == set(Commitment.Kind.values)
    assert response.redirect_chain[-1][0] == url


def test_one_invalid_commitment_saves_none_and_names_it(operator: User, unit: Unit) -> None:
    url = reverse("workspace-commitments", args=[unit.pk])
    posted = dict(ALL_FIVE, **{"return-return_days": ""})
    response = client_for(operator).post(url, posted)
    assert response.status_code == 200
    assert kinds(unit) == set()
    notice = [str(m) for m in response.context["messages"]]
    return_label = str(Commitment.Kind.NO_REASON_RETURN.label)
    assert any(return_label in message for message in notice)
    typed = response.content.decode()
    assert "投诉当日受理，十个工作日内办结" in typed  # what was typed is still there


def test_a_blank_kind_never_made_is_named_as_not_made(operator: User, unit: Unit) -> None:
    url = reverse("workspace-commitments", args=[unit.pk])
    posted = dict(ALL_FIVE, **{"service-content": ""})
    response = client_for(operator).post(url, posted, follow=True)
    assert kinds(unit) == set(Commitment.Kind.values) - {"service"}
    messages = [str(m) for m in response.context["messages"]]
    assert any(str(Commitment.Kind("service").label) in m for m in messages)


def test_nothing_typed_saves_nothing_and_says_so(operator: User, unit: Unit) -> None:
    url = reverse("workspace-commitments", args=[unit.pk])
    blank = {key: "" for key in ALL_FIVE if key.endswith("-content")}
    response = client_for(operator).post(url, blank)
    assert kinds(unit) == set()
    assert [str(m) for m in response.context["messages"]]


def test_another_operator_cannot_post_the_form(other_operator: User, unit: Unit) -> None:
    url = reverse("workspace-commitments", args=[unit.pk])
    assert client_for(other_operator).post(url, ALL_FIVE).status_code == 404
    assert kinds(unit) == set()
