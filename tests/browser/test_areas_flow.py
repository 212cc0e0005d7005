"""Issue 21's acceptance, tried as staff would in the browser: district staff load the communities
and villages from a file, add network points through the form and watch 登峰街道's coverage go from
0% to 100%; the points appear on the public home page's map; 登峰's staff record the emergency plan
with its file and submit the self-assessment; district staff return that item, the street replaces
the file and submits again, district staff accept every item and issue the verdict, which the
public page of the demonstration areas shows; a later correction is a new version.

Every other item of 2025 is on record beforehand (``tests.areas.helpers.meet_every_item``): the
test walks the pages of the network and the year-end workflow, not the forms of eight items.
"""

from __future__ import annotations

from typing import Any

import pytest

from areas.models import AreaCriterion, Community, NetworkPoint
from areas.models_assessment import AreaAssessment, AreaVerdict
from lyushunkou.models import Jurisdiction, User
from tests.areas.helpers import PDF, YEAR, meet_every_item
from tests.browser.conftest import login
from tests.conftest import DENGFENG, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMUNITIES = (
    "社区（村）代码,社区（村）名称,所属街道\n"
    "210212001901,黄河路社区,登峰街道\n"
    "210212001902,长江路村,登峰街道\n"
    "210212003901,太阳沟社区,得胜街道\n"
).encode()
PLACE = f"/areas/staff/{DENGFENG}/{YEAR}/"
PLAN = f"{PLACE}items/safety_emergency/"


def submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def coverage(page: Any) -> str:
    return " ".join(page.locator(f"[data-testid=coverage-{DENGFENG}] td").all_inner_texts())


def add_point(page: Any, url: str, community: str, name: str, lat: str) -> None:
    page.goto(f"{url}/areas/staff/points/new/")
    page.select_option("select[name=kind]", "liaison")
    page.fill("input[name=name]", name)
    page.select_option("select[name=community]", label=community)
    page.fill("input[name=address]", f"{community}党群服务中心")
    page.fill("input[name=contact_person]", "王联络")
    page.fill("input[name=contact_phone]", "13912345678")
    page.fill("input[name=opening_hours]", "周一至周五 8:30-17:00")
    page.fill("input[name=latitude]", lat)
    page.fill("input[name=longitude]", "121.261234")
    submit(page, "[data-testid=point-form]")
    assert page.url.endswith("/areas/staff/points/")


def record_plan(page: Any, url: str, note: str, filename: str) -> None:
    page.goto(f"{url}{PLAN}")
    page.check("input[name=in_place]")
    page.fill("textarea[name=note]", note)
    page.set_input_files(
        "input[name=evidence_file]",
        files=[{"name": filename, "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.check("input[name=confirm]")
    submit(page, "[data-testid=item-form]")
    assert page.url.endswith(PLACE)


def submit_assessment(page: Any, url: str, statement: str) -> None:
    page.goto(f"{url}{PLACE}")
    with page.expect_navigation():
        page.locator("[data-testid=assessment-submit]").click()
    page.fill("textarea[name=statement]", statement)
    submit(page, "[data-testid=assessment-form]")
    assert page.locator("[data-testid=assessment-state]").get_attribute("data-state") == (
        "submitted"
    )


def review(page: Any, url: str, returned: dict[str, str]) -> None:
    page.goto(f"{url}{PLACE}")
    with page.expect_navigation():
        page.locator("[data-testid=assessment-review]").click()
    for code in AreaCriterion.objects.filter(active=True).values_list("code", flat=True):
        if code in returned:
            page.check(f"#decision_{code}-r")
            page.fill(f"#note_{code}", returned[code])
        else:
            page.check(f"#decision_{code}-a")
    submit(page, "[data-testid=review-form]")


def test_staff_load_the_network_and_take_a_street_through_to_its_verdict(
    browser: Any,
    live_server: Any,
    district_staff: User,
    street_staff: User,
    dengfeng: Jurisdiction,
) -> None:
    url = live_server.url
    meet_every_item(dengfeng, YEAR, district_staff, skip=("network_coverage", "safety_emergency"))

    district = browser.new_page(locale="zh-CN")
    login(district, live_server, district_staff.username, PASSWORD)

    # 1. Load the communities and villages from a file: 登峰 has two, none covered yet.
    district.goto(f"{url}/areas/staff/communities/import/")
    district.set_input_files(
        "input[name=file]",
        files=[{"name": "社区村.csv", "mimeType": "text/csv", "buffer": COMMUNITIES}],
    )
    submit(district, "form[enctype='multipart/form-data']")
    assert district.locator("[data-testid=import-summary]").is_visible()
    assert Community.objects.filter(street=dengfeng).count() == 2
    district.goto(f"{url}/areas/staff/communities/")
    assert coverage(district) == "0 2 0.0%"

    # 2. Add a network point through the form in each: the coverage goes to 50%, then 100%.
    add_point(district, url, "黄河路社区", "黄河路社区消费维权联络站", "38.812345")
    assert coverage(district) == "1 2 50.0%"
    add_point(district, url, "长江路村", "长江路村消费维权联络点", "38.822345")
    assert coverage(district) == "2 2 100.0%"

    # 3. The points are on the public home page's map, and listed beside it.
    visitor = browser.new_page(locale="zh-CN")
    visitor.goto(f"{url}/")
    visitor.locator("[data-testid=front-network-map][data-chart-ready='1']").wait_for()
    visitor.locator("[data-testid=front-network-map-table] summary").click()
    table = visitor.locator("[data-testid=front-network-map-table]").inner_text()
    assert "黄河路社区消费维权联络站" in table
    assert "长江路村消费维权联络点" in table
    visitor.close()

    # 4. 登峰's staff record the emergency plan with its file and submit the self-assessment.
    street = browser.new_page(locale="zh-CN")
    login(street, live_server, street_staff.username, PASSWORD)
    record_plan(street, url, "登峰街道公共安全突发事件应急预案", "应急预案.pdf")
    submit_assessment(street, url, "登峰街道2025年度放心消费示范区创建自评。")

    # 5. District staff return the plan: it lacks the signature page.
    review(district, url, {"safety_emergency": "预案缺少街道主要负责人签发页"})
    assessment = AreaAssessment.objects.get(place=dengfeng, year=YEAR)
    assert assessment.state == AreaAssessment.State.RETURNED
    row = district.locator("[data-testid=assessment-item-safety_emergency]")
    assert row.locator("[data-decision=returned]").is_visible()

    # 6. The street replaces the file and submits again.
    record_plan(street, url, "应急预案（已签发）", "应急预案-签发版.pdf")
    submit_assessment(street, url, "已补充应急预案签发页。")
    street.close()

    # 7. District staff accept every item and issue the verdict: 达标, version 1.
    review(district, url, {})
    assert district.locator("[data-testid=assessment-state]").get_attribute("data-state") == (
        "confirmed"
    )
    submit(district, "[data-testid=verdict-form]")
    first = district.locator("[data-testid=issued-1]")
    assert first.locator("[data-verdict]").get_attribute("data-verdict") == "met"

    # 8. The public page of the demonstration areas shows the verdict issued.
    public = browser.new_page(locale="zh-CN")
    public.goto(f"{url}/areas/?year={YEAR}")
    row = public.locator(f"[data-testid=public-verdict-{DENGFENG}]")
    assert row.locator("[data-testid=issued-verdict]").get_attribute("data-issued") == "met"
    assert "第1版" in row.inner_text()

    # 9. A later correction is a new version; the first is kept, superseded.
    district.goto(f"{url}{PLACE}")
    district.fill("#issue-reason", "更正发布日期前的材料核对说明")
    submit(district, "[data-testid=verdict-form]")
    assert district.locator("[data-testid=issued-2]").is_visible()
    assert district.locator("[data-testid=issued-1] .text-bg-secondary").count() == 1  # superseded
    assert list(
        AreaVerdict.objects.filter(place=dengfeng, year=YEAR).values_list("number", flat=True)
    ) == [2, 1]
    public.reload()
    assert "第2版" in public.locator(f"[data-testid=public-verdict-{DENGFENG}]").inner_text()
    assert NetworkPoint.objects.filter(community__street=dengfeng).count() == 2
    public.close()
    district.close()
