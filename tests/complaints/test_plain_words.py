"""Plain words for operators and consumers (issue 15 item 7): no "ODR" jargon where an operator
reads it, a survey that states how many questions it really has and accepts its follow-up as it
comes, and a callback that offers only real answers.

Pages are read in English (the Chinese of new texts arrives with the lead's catalogue merge); the
jargon check reads them in Chinese too, where "ODR" and "在线消费纠纷解决" must not appear either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints import services, services_followup
from complaints.forms import SurveyForm
from complaints.models import CallbackLink, Complaint, Satisfaction, SurveyResponse
from complaints.standard_providers import complaint_handling_rule
from lyushunkou.models import Jurisdiction, User
from scoring.models import Indicator, Rubric
from tests.complaints.helpers import register
from tests.conftest import client_for
from tests.factories import UnitScoreFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

PLAIN = "Settlement by the business itself (within 10 working days)"
JARGON = ("ODR", "online dispute resolution", "在线消费纠纷解决")
SURVEY = reverse("survey")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def today() -> dt.date:
    return timezone.localdate()


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def forwarded(unit: Unit, dengfeng: Jurisdiction, by: User) -> Complaint:
    complaint = register(dengfeng, on=today() - dt.timedelta(days=3), unit=unit)
    complaint = services.complaint_accept(complaint=complaint, by=by, version=complaint.version)
    return services.complaint_forward_odr(complaint=complaint, by=by, version=complaint.version)


def concluded(unit: Unit, dengfeng: Jurisdiction, by: User) -> Complaint:
    complaint = register(dengfeng, on=today() - dt.timedelta(days=10), unit=unit)
    complaint = services.complaint_accept(complaint=complaint, by=by, version=complaint.version)
    return services.complaint_conclude(
        complaint=complaint, by=by, version=complaint.version, outcome="mediated"
    )


# --- "ODR" in plain words ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_operator_reads_no_odr_jargon_on_a_forwarded_complaint(
    language: str, operator: User, unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    complaint = forwarded(unit, dengfeng, district_staff)
    client = in_language(client_for(operator), language)
    pages = {
        "list": client.get(reverse("workspace-complaints")),
        "detail": client.get(reverse("workspace-complaint", args=[complaint.pk])),
        "unit": client.get(reverse("workspace-unit", args=[unit.pk])),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert complaint.record_no in html, name
        for word in JARGON:
            assert word not in html, f"{word!r} on the operator's {name} page"


def test_the_complaint_with_the_operator_is_called_settlement_by_the_business_itself(
    operator: User, unit: Unit, dengfeng: Jurisdiction, district_staff: User
) -> None:
    complaint = forwarded(unit, dengfeng, district_staff)
    client = in_language(client_for(operator), "en")
    html = client.get(reverse("workspace-complaint", args=[complaint.pk])).content.decode()
    assert PLAIN in html


def test_staff_may_still_read_odr_in_parentheses_after_the_plain_words(
    unit: Unit, dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = register(dengfeng, on=today() - dt.timedelta(days=3), unit=unit)
    services.complaint_accept(complaint=complaint, by=street_staff, version=complaint.version)
    client = in_language(client_for(street_staff), "en")
    html = client.get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert "Forward for settlement by the business itself (ODR)" in html


def test_the_standards_complaint_rule_explains_itself_without_odr(unit: Unit) -> None:
    with translation.override("en"):
        message = complaint_handling_rule(unit, {"min_complaints": 3}, today()).detail
    assert "settlement by the business itself (within 10 working days)" in message
    assert "ODR" not in message


def test_the_rubric_rules_operators_read_on_their_grade_say_it_plainly() -> None:
    labels = list(
        Indicator.objects.filter(rubric__version__in=(1, 2), guarantee="rights").values_list(
            "label", flat=True
        )
    )
    assert any("企业自行和解（10个工作日内）" in label for label in labels)
    assert [label for label in labels if "ODR" in label] == []


def test_grades_already_computed_get_the_plain_rule_names_and_a_renamed_rule_is_kept(
    unit: Unit,
) -> None:
    migration = __import__(
        "scoring.migrations.0010_plain_words_for_odr", fromlist=["forwards", "backwards"]
    )
    migration.backwards(apps, None)  # the names as the rubric migrations wrote them
    rubric = Rubric.objects.get(version=2)
    Indicator.objects.filter(rubric=rubric, code="r_handling_rate").update(label="处理率满分")
    old = {"indicator": "r_odr_lapsed", "label": "ODR投诉逾期未答复", "kind": "deduction"}
    own = {"indicator": "r_handling_rate", "label": "处理率满分", "kind": "award"}
    score = UnitScoreFactory.create(
        unit=unit,
        period="2026-10",
        rubric=rubric,
        **dict.fromkeys(("quality", "safety", "price", "service", "rights"), Decimal(10)),
        evidence=[old, own],
    )
    migration.forwards(apps, None)
    score.refresh_from_db()
    assert [item["label"] for item in score.evidence] == [
        "企业自行和解（10个工作日内）逾期未答复的投诉",
        "处理率满分",
    ]
    assert Indicator.objects.get(rubric=rubric, code="r_handling_rate").label == "处理率满分"


# --- The consumer survey -------------------------------------------------------------------------


def test_the_survey_states_as_many_questions_as_it_asks(client: Client) -> None:
    html = in_language(client, "en").get(SURVEY).content.decode()
    form = html[html.index("<form") : html.index("</form>")]
    asked = {
        name
        for name in re.findall(r'name="([^"]+)"', form)
        if name not in ("csrfmiddlewaretoken", "website")  # website: the hidden honeypot
    }
    intro = re.search(r'data-testid="survey-intro">(\d+) question', html)
    assert intro is not None
    assert int(intro.group(1)) == len(asked) == SurveyForm().question_count


def test_the_follow_up_starts_on_an_answer_everyone_may_send(client: Client) -> None:
    html = client.get(SURVEY).content.decode()
    checked = re.findall(r'<input[^>]*name="approves"[^>]*>', html)
    assert [tag for tag in checked if "checked" in tag] == [
        next(tag for tag in checked if 'value=""' in tag)
    ]


@pytest.mark.parametrize("aware", ["yes", "no"])
def test_a_consumer_sending_the_follow_up_as_it_came_is_not_rejected(
    aware: str, client: Client, dengfeng: Jurisdiction
) -> None:
    answers = {"jurisdiction": dengfeng.pk, "aware": aware, "approves": "", "website": ""}
    response = client.post(SURVEY, {**answers, "life_services": "satisfied"})
    assert response.status_code == 200
    assert 'data-testid="survey-thanks"' in response.content.decode()
    saved = SurveyResponse.objects.get()
    assert saved.aware is (aware == "yes")
    assert saved.approves is None


def test_an_aware_consumer_who_approves_or_not_is_recorded_as_such(
    client: Client, dengfeng: Jurisdiction
) -> None:
    for approves in ("yes", "no"):
        answers = {"jurisdiction": dengfeng.pk, "aware": "yes", "approves": approves}
        assert client.post(SURVEY, {**answers, "life_services": "basically"}).status_code == 200
    assert list(SurveyResponse.objects.order_by("pk").values_list("approves", flat=True)) == [
        True,
        False,
    ]


# --- The callback: only real answers -----------------------------------------------------


@pytest.fixture
def complaint(dengfeng: Jurisdiction, unit: Unit, street_staff: User) -> Complaint:
    return concluded(unit, dengfeng, street_staff)


@pytest.fixture
def link(complaint: Complaint, street_staff: User) -> str:
    token = services_followup.callback_link_create(complaint=complaint, by=street_staff)
    return reverse("complaint-callback", args=[token])


def test_the_callback_page_offers_only_real_answers_as_buttons(client: Client, link: str) -> None:
    html = client.get(link).content.decode()
    offered = re.findall(r'name="answer" value="([^"]+)"', html)
    assert offered == ["satisfied", "basically", "dissatisfied"]
    assert Satisfaction.NO_ANSWER not in offered


def test_no_answer_cannot_be_clicked_through_the_link(
    client: Client, link: str, complaint: Complaint
) -> None:
    assert client.post(link, {"answer": "no_answer"}).status_code == 400
    complaint.refresh_from_db()
    assert complaint.satisfaction == ""
    assert CallbackLink.objects.get(complaint=complaint).used_at is None


def answer_choices(response: Any) -> list[str]:
    for item in response.context["actions"]:
        if item["name"] == "satisfaction":
            return [value for value, _label in item["form"].fields["answer"].choices]
    raise AssertionError("the satisfaction step is not offered")


def test_staff_recording_the_callback_answer_choose_only_real_answers(
    street_staff: User, complaint: Complaint
) -> None:
    client = client_for(street_staff)
    page = client.get(reverse("complaint-detail", args=[complaint.pk]))
    assert answer_choices(page) == ["satisfied", "basically", "dissatisfied"]
    url = reverse("complaint-action", args=[complaint.pk, "satisfaction"])
    response = client.post(url, {"version": complaint.version, "answer": "no_answer"})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.satisfaction == ""
