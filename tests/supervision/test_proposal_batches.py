"""Batches sampled for an accepted proposal are linked back, and the figures page compares their
detection rate with routine sampling (issue 19 item 1, "the evidence that targeting works")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import SamplingBatch
from lyushunkou.models import AuditEvent, Jurisdiction, User
from supervision import services
from supervision.models import ProposalBatch, SamplingProposal
from supervision.selectors import detection_by_source, link_candidates
from tests.conftest import client_for
from tests.inspections.helpers import batch as record_batch

pytestmark = pytest.mark.django_db
FIGURES = reverse("supervision-figures")


@pytest.fixture
def accepted(proposal: SamplingProposal, street_staff: User) -> SamplingProposal:
    return services.proposal_accept(proposal=proposal, by=street_staff, note="抽检")


def link_url(proposal: SamplingProposal) -> str:
    return reverse("proposal-action", kwargs={"pk": proposal.pk, "action": "link"})


def today_batch(staff: User, place: Jurisdiction, **fields: Any) -> SamplingBatch:
    return record_batch(staff, place, sampled_on=timezone.localdate(), **fields)


def test_staff_link_a_batch_recorded_after_acceptance(
    accepted: SamplingProposal, street_staff: User, dengfeng: Jurisdiction
) -> None:
    batch = today_batch(street_staff, dengfeng, result="fail")

    response = client_for(street_staff).post(link_url(accepted), {"link-batch": batch.pk})

    assert response.status_code == 302
    link = ProposalBatch.objects.get()
    assert (link.proposal, link.batch, link.linked_by) == (accepted, batch, street_staff)
    event = AuditEvent.objects.get(action="supervision.proposal_batch_linked")
    assert event.detail["batch"] == batch.sample_no


def test_the_form_offers_only_the_streets_batches_since_acceptance_not_yet_linked(
    accepted: SamplingProposal,
    street_staff: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
) -> None:
    fresh = today_batch(street_staff, dengfeng)
    today_batch(district_staff, desheng)  # another street
    record_batch(street_staff, dengfeng, sampled_on=timezone.localdate() - dt.timedelta(days=3))
    taken = today_batch(street_staff, dengfeng)
    services.proposal_link_batch(proposal=accepted, batch=taken, by=street_staff)

    assert list(link_candidates(accepted, district_staff)) == [fresh]


def test_a_batch_sampled_before_acceptance_is_routine_and_refused(
    accepted: SamplingProposal, street_staff: User, dengfeng: Jurisdiction
) -> None:
    before = record_batch(
        street_staff, dengfeng, sampled_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.proposal_link_batch(proposal=accepted, batch=before, by=street_staff)

    assert "routine" in refused.value.message_dict["batch"][0]


def test_a_batch_of_another_street_is_refused_naming_both(
    accepted: SamplingProposal, district_staff: User, desheng: Jurisdiction
) -> None:
    elsewhere = today_batch(district_staff, desheng)
    with pytest.raises(ValidationError) as refused:
        services.proposal_link_batch(proposal=accepted, batch=elsewhere, by=district_staff)

    message = refused.value.message_dict["batch"][0]
    assert "得胜街道" in message
    assert "登峰街道" in message


def test_a_batch_serves_one_proposal(
    accepted: SamplingProposal, street_staff: User, dengfeng: Jurisdiction
) -> None:
    batch = today_batch(street_staff, dengfeng)
    services.proposal_link_batch(proposal=accepted, batch=batch, by=street_staff)

    with pytest.raises(ValidationError):
        services.proposal_link_batch(proposal=accepted, batch=batch, by=street_staff)
    assert ProposalBatch.objects.count() == 1


def test_an_undecided_proposal_has_no_batches(
    proposal: SamplingProposal, street_staff: User, dengfeng: Jurisdiction
) -> None:
    batch = today_batch(street_staff, dengfeng)
    with pytest.raises(ValidationError):
        services.proposal_link_batch(proposal=proposal, batch=batch, by=street_staff)


def test_linking_a_batch_not_offered_answers_400_with_the_fields_error(
    accepted: SamplingProposal, street_staff: User, dengfeng: Jurisdiction
) -> None:
    before = record_batch(
        street_staff, dengfeng, sampled_on=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client_for(street_staff).post(link_url(accepted), {"link-batch": before.pk})

    assert response.status_code == 400
    assert response.context["link_form"].errors["batch"]
    assert not ProposalBatch.objects.exists()


# --- The figures ----------------------------------------------------------------------------------


@pytest.fixture
def sampled(accepted: SamplingProposal, street_staff: User, dengfeng: Jurisdiction) -> None:
    """Two proposal-driven batches (one failed) and three routine ones (none failed), today;
    a pending batch and a rapid test that count nowhere but their own type."""
    for result in ("fail", "pass"):
        batch = today_batch(street_staff, dengfeng, result=result)
        services.proposal_link_batch(proposal=accepted, batch=batch, by=street_staff)
    for _ in range(3):
        today_batch(street_staff, dengfeng)
    today_batch(street_staff, dengfeng, result="pending")
    today_batch(street_staff, dengfeng, sampling_type="rapid", result="fail")


def test_the_detection_rates_of_proposal_driven_and_routine_batches(sampled: None) -> None:
    today = timezone.localdate()
    rows = {
        row.sampling_type: row
        for row in detection_by_source(
            start=today.replace(month=1, day=1), end=today, jurisdiction=None
        )
    }

    supervisory = rows["supervisory"]
    assert (supervisory.proposal["numerator"], supervisory.proposal["denominator"]) == (1, 2)
    assert (supervisory.routine["numerator"], supervisory.routine["denominator"]) == (0, 3)
    assert supervisory.proposal["value"] == 0.5
    assert supervisory.routine["value"] == 0.0
    assert (rows["rapid"].routine["numerator"], rows["rapid"].routine["denominator"]) == (1, 1)
    assert rows["evaluative"].proposal["value"] is None  # no data, never 0%


def test_the_figures_page_shows_both_rates(sampled: None, leader: User) -> None:
    response = client_for(leader).get(FIGURES, {"period": str(timezone.localdate().year)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "50.0%" in html
    assert "0.0%" in html
    assert "(1 / 2)" in html
    assert "(0 / 3)" in html


def test_street_staff_see_their_street_by_default(sampled: None, desheng_staff: User) -> None:
    client = client_for(desheng_staff)
    response = client.get(FIGURES, {"period": str(timezone.localdate().year)})

    assert response.status_code == 200
    assert response.context["scope"].name == "得胜街道"
    assert client.get(FIGURES).context["scope"].name == "得胜街道"
    supervisory = response.context["rows"][0]
    assert supervisory.routine["denominator"] == 0


def test_a_malformed_period_on_the_figures_page_answers_400_in_chinese(
    db: None, district_staff: User
) -> None:
    response = client_for(district_staff).get(FIGURES, {"period": "2026-Q7"})

    assert response.status_code == 400
    assert "期间格式错误" in response.content.decode()
