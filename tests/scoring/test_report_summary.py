"""The written summary that opens every report (scoring.reports.summary): a hand-checked fixture of
report data in, exact Chinese sentences out. Pure functions: no database, no clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from scoring.reports import summary as report_summary
from scoring.reports.render import REPORT_LANGUAGE


def target(key: str, label: str, value: str | None, met: bool | None, **extra: Any) -> dict:
    return {
        "key": key,
        "label": label,
        "unit_label": "%",
        "value": None if value is None else Decimal(value),
        "value_text": "无数据" if value is None else f"{Decimal(value) * 100:.1f}%",
        "threshold_text": extra.get("threshold", "≥ 97.0%"),
        "met": met,
    }


def street(code: str, name: str, missed: int, met: int) -> dict:
    rows = [{"met": False}] * missed + [{"met": True}] * met
    return {"code": code, "name": name, "targets": rows, "summary": {"missed": missed}}


def fixture() -> dict[str, Any]:
    """A month (2025-10) of the district, checked by hand:
    - food pass rate 95.0% (missed), 2025-09 96.5%, 2024-10 98.0% → −1.5 and −3.0 pp;
    - handling rate 100.0% (met), 2025-09 98.0%, no figure a year earlier → +2.0 pp only;
    - awareness no data;
    - 登峰 missed 3 → 1 (improved by 2), 得胜 0 → 2 (declined by 2), 光荣 1 → 1, 水师营 new;
    - 12 complaints (9 the month before): 价格 5 (2), 质量 4 (4), 服务 2 (3), 其他 1;
    - 3 failed batches: 2 disposals of one kind, 1 without;
    - 1 unit put in warning, 0 revoked; 2 complaints, 1 disposal, 0 re-test and 3 certificates
      due in 2025-11.
    """
    return {
        "scope": {"code": "district"},
        "previous_label": "2025年09月",
        "summary": {"total": 3, "met": 1, "missed": 1, "no_data": 1},
        "targets": [
            target("food_sampling_pass_rate", "食品抽检合格率", "0.95", False),
            target("complaint_handling_rate", "投诉处理率", "1", True, threshold="= 100.0%"),
            target("programme_awareness_rate", "知晓率", None, None),
        ],
        "jurisdictions": [
            street("1", "登峰街道", missed=1, met=2),
            street("2", "得胜街道", missed=2, met=1),
            street("3", "光荣街道", missed=1, met=2),
            street("4", "水师营街道", missed=0, met=3),
        ],
        "complaints": {
            "received": 12,
            "by_category": [
                {"label": "质量", "n": 4},
                {"label": "价格", "n": 5},
                {"label": "服务", "n": 2},
                {"label": "其他", "n": 1},
                {"label": "安全", "n": 0},
            ],
        },
        "sampling": {
            "failed_total": 3,
            "disposals": [{"label": "责令下架", "n": 2}, {"label": "立案查处", "n": 0}],
            "undisposed": 1,
        },
        "programme": {"warnings": 1, "revocations": 0},
        "summary_inputs": {
            "year_ago_label": "2024年10月",
            "next_month_label": "2025年11月",
            "targets": {
                "previous": {
                    "district": {
                        "food_sampling_pass_rate": {"value": Decimal("0.965"), "met": False},
                        "complaint_handling_rate": {"value": Decimal("0.98"), "met": False},
                    },
                    "1": {"a": {"met": False}, "b": {"met": False}, "c": {"met": False}},
                    "2": {"a": {"met": True}, "b": {"met": True}, "c": {"met": True}},
                    "3": {"a": {"met": False}, "b": {"met": True}, "c": {"met": True}},
                },
                "year_ago": {
                    "district": {"food_sampling_pass_rate": {"value": Decimal("0.98"), "met": True}}
                },
            },
            "previous_categories": {"价格": 2, "质量": 4, "服务": 3},
            "deadlines": {"complaints": 2, "disposals": 1, "retests": 0, "certificates": 3},
        },
    }


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    with translation.override(REPORT_LANGUAGE):
        yield


def test_targets_met_and_missed_with_their_changes() -> None:
    assert report_summary.target_sentences(fixture()) == [
        "共 3 项指标：1 项达标，1 项未达标，1 项无数据。",
        "未达标：食品抽检合格率 95.0%（目标 ≥ 97.0%；较2025年09月 -1.5 个百分点，"
        "较2024年10月 -3.0 个百分点）。",
        "达标：投诉处理率 100.0%（目标 = 100.0%；较2025年09月 +2.0 个百分点）。",
        "无数据或样本不足：知晓率。",
    ]


def test_a_period_without_evaluated_targets_says_so() -> None:
    data = fixture()
    data["summary"] = {"total": 0, "met": 0, "missed": 0, "no_data": 0}
    assert report_summary.target_sentences(data) == ["本期尚未评估任何指标。"]


def test_the_streets_that_improved_and_declined_most() -> None:
    assert report_summary.street_sentences(fixture()) == [
        "改善最多：登峰街道（未达标指标 3 → 1 项）。",
        "退步最多：得胜街道（未达标指标 0 → 2 项）。",
    ]


def test_streets_without_a_previous_evaluation_are_not_compared() -> None:
    data = fixture()
    data["summary_inputs"]["targets"]["previous"] = {}
    assert report_summary.street_sentences(data) == ["各街道无法与2025年09月比较：该期未评估。"]


def test_a_street_report_has_no_street_paragraph() -> None:
    data = fixture()
    data["jurisdictions"] = []
    assert report_summary.street_sentences(data) == []


def test_the_top_complaint_categories_and_their_previous_counts() -> None:
    assert report_summary.complaint_sentences(fixture()) == [
        "本期受理投诉 12 件（2025年09月：9 件）。",
        "投诉最多的类别：价格 5 件（2025年09月：2 件）；质量 4 件（2025年09月：4 件）；"
        "服务 2 件（2025年09月：3 件）。",
    ]


def test_failed_batches_and_their_disposal() -> None:
    assert report_summary.failure_sentences(fixture()) == [
        "本期不合格批次 3 批。",
        "已记录处置：责令下架 2。",
        "尚有 1 批不合格产品未记录处置。",
    ]
    data = fixture()
    data["sampling"] = {"failed_total": 0, "disposals": [], "undisposed": 0}
    assert report_summary.failure_sentences(data) == ["本期无不合格批次。"]


def test_units_put_in_warning_or_revoked() -> None:
    assert report_summary.programme_sentences(fixture()) == [
        "本期示范单位被预警 1 家、被撤销 0 家。"
    ]


def test_the_deadlines_of_next_month() -> None:
    assert report_summary.deadline_sentences(fixture()) == [
        "2025年11月到期：未办结投诉 2 件届满法定时限，不合格批次 1 批届满处置期限、0 批届满"
        "复检申请期限，示范单位证书 3 张到期。"
    ]
    data = fixture()
    data["summary_inputs"]["deadlines"] = dict.fromkeys(("complaints", "disposals"), 0)
    assert report_summary.deadline_sentences(data) == ["2025年11月无到期事项。"]


def test_the_summary_has_its_paragraphs_in_order() -> None:
    headings = [p.heading for p in report_summary.summarise(fixture())]
    assert headings == [
        "目标",
        "街道",
        "投诉举报",
        "不合格批次",
        "放心消费示范创建",
        "下月到期事项",
    ]
