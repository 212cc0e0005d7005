"""The sampling proposal pages: list, generate, filters, export, detail, accept and dismiss."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from lyushunkou.models import AuditEvent, User
from supervision.models import ProposalState, SamplingProposal
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.supervision.conftest import store

pytestmark = pytest.mark.django_db
LIST = reverse("proposal-list")
GENERATE = reverse("proposal-generate")


def action(proposal: SamplingProposal, name: str) -> str:
    return reverse("proposal-action", kwargs={"pk": proposal.pk, "action": name})


# --- Generating ----------------------------------------------------------------------------------


def test_district_staff_generate_the_periods_proposals(
    spike: dict[str, Any], district_staff: User
) -> None:
    response = client_for(district_staff).post(GENERATE, {"period": "2026-10"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?period=2026-10"
    proposal = SamplingProposal.objects.get()
    assert (proposal.jurisdiction.code, proposal.category) == (DENGFENG, "quality")
    assert proposal.complaints.count() == 15
    assert proposal.generated_by == district_staff
    assert AuditEvent.objects.filter(action="supervision.proposals_generated").exists()


def test_street_staff_generate_only_their_streets_proposals(
    two_spikes: dict[str, Any], desheng_staff: User
) -> None:
    client_for(desheng_staff).post(GENERATE, {"period": "2026-10"})

    assert [p.jurisdiction.code for p in SamplingProposal.objects.all()] == [DESHENG]


def test_generating_again_refreshes_open_proposals_and_keeps_decided_ones(
    two_spikes: dict[str, Any], district_staff: User
) -> None:
    store()
    dismissed = SamplingProposal.objects.get(jurisdiction__code=DESHENG)
    client_for(district_staff).post(action(dismissed, "dismiss"), {"dismiss-reason": "已处理"})
    dismissed.complaints.clear()  # what it was decided on stays; a regeneration must not touch it
    client_for(district_staff).post(GENERATE, {"period": "2026-10"})

    dismissed.refresh_from_db()
    assert dismissed.state == ProposalState.DISMISSED
    assert dismissed.complaints.count() == 0
    assert SamplingProposal.objects.get(jurisdiction__code=DENGFENG).complaints.count() == 15


def test_a_proposal_that_no_longer_stands_out_is_removed_when_nobody_decided_it(
    spike: dict[str, Any], district_staff: User
) -> None:
    store()
    SamplingProposal.objects.update(period="2026-09")  # as if generated for a quiet month
    client_for(district_staff).post(GENERATE, {"period": "2026-09"})

    assert not SamplingProposal.objects.exists()


def test_a_period_with_too_little_data_says_so(db: None, district_staff: User) -> None:
    with translation.override("en"):
        response = client_for(district_staff).post(GENERATE, {"period": "2026-10"}, follow=True)

    assert "数据不足" in response.content.decode()
    assert not SamplingProposal.objects.exists()


def test_a_malformed_period_answers_400_in_chinese(db: None, district_staff: User) -> None:
    response = client_for(district_staff).post(GENERATE, {"period": "2026-13"})

    assert response.status_code == 400
    assert "期间格式错误" in response.content.decode()


def test_leaders_cannot_generate(db: None, leader: User) -> None:
    assert client_for(leader).post(GENERATE, {"period": "2026-10"}).status_code == 403


# --- The list ------------------------------------------------------------------------------------


def test_the_list_ranks_the_periods_proposals_by_score(
    two_spikes: dict[str, Any], leader: User, django_assert_max_num_queries: Any
) -> None:
    store()
    client = client_for(leader)
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"period": "2026-10"})

    rows = response.context["proposals"]
    assert [(p.rank, p.jurisdiction.code) for p in rows] == [(1, DENGFENG), (2, DESHENG)]
    assert rows[0].unit_count == 13  # the 15 complaints name units 0–12 of 登峰


def test_the_lists_query_count_does_not_grow_with_the_proposals(
    two_spikes: dict[str, Any], leader: User, django_assert_max_num_queries: Any
) -> None:
    store()
    for month in ("2026-07", "2026-08", "2026-09"):
        for proposal in SamplingProposal.objects.filter(period="2026-10"):
            proposal.pk = None
            proposal.period = month
            proposal.save()
    client = client_for(leader)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)

    assert len(response.context["proposals"]) == 8


def test_street_staff_see_only_their_streets_proposals(
    two_spikes: dict[str, Any], desheng_staff: User
) -> None:
    store()
    response = client_for(desheng_staff).get(LIST)

    assert [p.jurisdiction.code for p in response.context["proposals"]] == [DESHENG]


def test_filters_narrow_the_list(two_spikes: dict[str, Any], district_staff: User) -> None:
    store()
    client = client_for(district_staff)

    by_street = client.get(LIST, {"jurisdiction": DESHENG}).context["proposals"]
    by_state = client.get(LIST, {"state": "accepted"}).context["proposals"]

    assert [p.jurisdiction.code for p in by_street] == [DESHENG]
    assert by_state == []


@pytest.mark.parametrize(
    ("params", "words"),
    [({"period": "2026-13"}, "期间格式错误"), ({"jurisdiction": "999999999999"}, "辖区")],
)
def test_a_malformed_filter_answers_400_in_chinese(
    db: None, district_staff: User, params: dict[str, str], words: str
) -> None:
    response = client_for(district_staff).get(LIST, params)

    assert response.status_code == 400
    assert words in response.content.decode()


def test_street_staff_cannot_filter_on_another_street(
    two_spikes: dict[str, Any], desheng_staff: User
) -> None:
    store()
    assert client_for(desheng_staff).get(LIST, {"jurisdiction": DENGFENG}).status_code == 400


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_has_every_filtered_proposal_and_is_audited(
    two_spikes: dict[str, Any], district_staff: User, fmt: str
) -> None:
    store()
    response = client_for(district_staff).get(
        reverse("proposal-export", kwargs={"fmt": fmt}), {"jurisdiction": DENGFENG}
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="supervision.proposals_exported")
    assert event.detail["rows"] == 1
    assert event.detail["filters"] == {"jurisdiction": DENGFENG}
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        assert "登峰街道" in text
        assert "质量" in text
        assert "待决定" in text


# --- The detail and its decisions ----------------------------------------------------------------


def test_the_detail_explains_the_score_and_lists_the_complaints(
    proposal: SamplingProposal, street_staff: User
) -> None:
    response = client_for(street_staff).get(reverse("proposal-detail", args=[proposal.pk]))

    detail = response.context["detail"]
    assert response.status_code == 200
    assert len(detail.complaints) == 15
    assert detail.complaints_hidden == 0
    assert len(detail.units) == 13
    assert (proposal.last_year_count, proposal.expected) == (2, 2.0)


def test_staff_of_another_street_get_a_404(proposal: SamplingProposal, desheng_staff: User) -> None:
    url = reverse("proposal-detail", args=[proposal.pk])
    assert client_for(desheng_staff).get(url).status_code == 404
    assert client_for(desheng_staff).post(action(proposal, "accept")).status_code == 404


def test_staff_accept_a_proposal_into_the_sampling_plan(
    proposal: SamplingProposal, street_staff: User
) -> None:
    response = client_for(street_staff).post(
        action(proposal, "accept"), {"accept-note": "第43周抽检食用油"}
    )

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert (proposal.state, proposal.reason) == (ProposalState.ACCEPTED, "第43周抽检食用油")
    assert proposal.decided_by == street_staff
    assert proposal.decided_at is not None
    event = AuditEvent.objects.get(action="supervision.proposal_accepted")
    assert event.object_id == str(proposal.pk)


def test_a_decided_proposal_cannot_be_decided_again(
    proposal: SamplingProposal, street_staff: User, district_staff: User
) -> None:
    client_for(street_staff).post(action(proposal, "accept"), {})
    with translation.override("en"):
        response = client_for(district_staff).post(
            action(proposal, "dismiss"), {"dismiss-reason": "重复"}, follow=True
        )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    assert proposal.decided_by == street_staff
    assert [str(m) for m in response.context["messages"]] == [
        "其他人刚刚已对该建议作出决定，请查看下方。"
    ]


def test_dismissing_needs_a_reason_named_on_the_field(
    proposal: SamplingProposal, street_staff: User
) -> None:
    with translation.override("en"):
        response = client_for(street_staff).post(action(proposal, "dismiss"), {})

    proposal.refresh_from_db()
    assert response.status_code == 400
    assert response.context["dismiss_form"].errors["reason"]
    assert proposal.state == ProposalState.PROPOSED


def test_staff_dismiss_a_proposal_with_a_reason(
    proposal: SamplingProposal, street_staff: User
) -> None:
    client_for(street_staff).post(
        action(proposal, "dismiss"), {"dismiss-reason": "投诉系同一批次，已立案查处"}
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DISMISSED
    assert proposal.reason == "投诉系同一批次，已立案查处"
    assert AuditEvent.objects.filter(action="supervision.proposal_dismissed").exists()


def test_leaders_read_but_cannot_decide(proposal: SamplingProposal, leader: User) -> None:
    client = client_for(leader)
    assert client.get(reverse("proposal-detail", args=[proposal.pk])).status_code == 200
    assert client.post(action(proposal, "accept"), {}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED


def test_an_unknown_action_is_a_404(proposal: SamplingProposal, street_staff: User) -> None:
    assert client_for(street_staff).post(action(proposal, "delete"), {}).status_code == 404


def test_the_street_menu_group_offers_the_page(db: None, street_staff: User) -> None:
    response = client_for(street_staff).get(reverse("home"))
    urls = [child.url for entry in response.context["main_menu"] for child in entry.children]
    assert LIST in urls
