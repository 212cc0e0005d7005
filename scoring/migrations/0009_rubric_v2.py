"""Rubric version 2 (issue 13, DESIGN.md §5 as updated): points are earned by evidence, and it
becomes the active version; version 1 is retired and its scores keep pointing at it.

What changes from version 1 (docs/rubric.md explains every row with worked examples):
- lower baselines (12 per guarantee, 8 for rights protection: 56 in all), so a unit whose only
  evidence is "nothing bad happened" cannot reach A; checks and sampling passes earn the rest;
- a unit with no evidence for 3 or more guarantees in the window is not graded (未评定);
- commitments and the 12315 station earn points only once verified by staff (reviewed evidence
  files or a passed on-site check item); self-declared ones are listed as 待核实 and earn nothing;
- a complaint is substantiated when staff found the operator at fault on conclusion, however it
  ended; settling through ODR in time earns points, letting ODR lapse or refusing mediation costs
  more; the unit's own handling rate (100 %) and reconciliation rate (> 90 %) are indicators.

The data is written out here, not imported from the app, so this migration keeps producing the
same version 2 whatever the code later becomes. ``load`` is also called by tests whose database
was flushed.
"""

from decimal import Decimal
from typing import Any

from django.db import migrations
from django.utils import timezone

VERSION = 2
GRADE_BANDS = [
    {"grade": "A", "min": 90},
    {"grade": "B", "min": 75},
    {"grade": "C", "min": 60},
    {"grade": "D", "min": 0},
]
CAPS = [{"below": 12, "cap": "C"}, {"below": 8, "cap": "D"}]

A, D, V, P = "award", "deduction", "veto", "pending"
VERIFIED = {"verified": True}
DECLARED = {"verified": False}

# (code, label, guarantee, kind, record_kind, params, points, limit)
# fmt: off
INDICATORS: list[tuple[str, str, str, str, str, dict[str, Any], str, str]] = [
    # --- Quality: 12 + 6 + 2 = 20 ---
    ("q_base", "质量放心基础分", "quality", A, "baseline", {}, "12", "12"),
    ("q_purchase_verified", "进货查验和台账制度经核实", "quality", A, "commitment",
     {"kinds": ["purchase"], **VERIFIED}, "6", "6"),
    ("q_sampling_pass", "抽检合格（以复检后的最终结论计）", "quality", A, "sampling_batch",
     {"final_result": "pass"}, "2", "2"),
    ("q_purchase_pending", "进货查验承诺待核实", "quality", P, "commitment",
     {"kinds": ["purchase"], **DECLARED}, "0", "0"),
    ("q_sampling_fail", "抽检不合格（以复检后的最终结论计）", "quality", D, "sampling_batch",
     {"final_result": "fail"}, "4", "8"),
    ("q_finding_open", "质量问题尚未确认整改", "quality", D, "finding",
     {"guarantee": "quality", "rectified": "unconfirmed"}, "3", "6"),
    ("q_finding_rectified", "质量问题已确认整改", "quality", D, "finding",
     {"guarantee": "quality", "rectified": "confirmed"}, "1", "2"),
    ("q_penalty", "质量类行政处罚", "quality", D, "penalty", {"kinds": ["quality"]}, "5", "10"),
    ("q_complaint", "查实经营者有过错的质量投诉", "quality", D, "complaint",
     {"categories": ["quality"], "fault": ["at_fault"]}, "2", "6"),
    ("q_harm_veto", "食品安全或质量问题造成消费者损害", "quality", V, "safety_incident",
     {"harmed_consumers": True}, "0", "0"),
    # --- Safety: 12 + 8 = 20 ---
    ("s_base", "安全放心基础分", "safety", A, "baseline", {}, "12", "12"),
    ("s_check_pass", "安全检查全部合格", "safety", A, "onsite_check",
     {"check_type": "safety", "all_items_passed": True}, "6", "8"),
    ("s_finding_open", "安全问题尚未确认整改", "safety", D, "finding",
     {"guarantee": "safety", "rectified": "unconfirmed"}, "3", "6"),
    ("s_finding_rectified", "安全问题已确认整改", "safety", D, "finding",
     {"guarantee": "safety", "rectified": "confirmed"}, "1", "2"),
    ("s_incident", "一般或较大安全事故", "safety", D, "safety_incident",
     {"severities": ["general", "larger"]}, "6", "12"),
    ("s_penalty", "安全类行政处罚", "safety", D, "penalty", {"kinds": ["safety"]}, "5", "10"),
    ("s_complaint", "查实经营者有过错的安全投诉", "safety", D, "complaint",
     {"categories": ["safety"], "fault": ["at_fault"]}, "2", "6"),
    ("s_major_veto", "重大及以上安全事故", "safety", V, "safety_incident",
     {"severities": ["major", "extraordinary"]}, "0", "0"),
    # --- Price: 12 + 8 = 20 ---
    ("p_base", "价格放心基础分", "price", A, "baseline", {}, "12", "12"),
    ("p_check_pass", "明码标价检查全部合格", "price", A, "onsite_check",
     {"check_type": "price_marking", "all_items_passed": True}, "6", "8"),
    ("p_finding_open", "价格问题尚未确认整改", "price", D, "finding",
     {"guarantee": "price", "rectified": "unconfirmed"}, "3", "6"),
    ("p_finding_rectified", "价格问题已确认整改", "price", D, "finding",
     {"guarantee": "price", "rectified": "confirmed"}, "1", "2"),
    ("p_complaint", "查实经营者有过错的价格投诉", "price", D, "complaint",
     {"categories": ["price"], "fault": ["at_fault"]}, "2", "6"),
    ("p_fraud_veto", "价格欺诈或哄抬价格受到处罚", "price", V, "penalty",
     {"kinds": ["price_fraud"]}, "0", "0"),
    # --- Service: 12 + 4 + 4 = 20 ---
    ("se_base", "服务放心基础分", "service", A, "baseline", {}, "12", "12"),
    ("se_commitment_verified", "公开服务承诺或无理由退货承诺经核实", "service", A, "commitment",
     {"kinds": ["service", "return"], **VERIFIED}, "2", "4"),
    ("se_check_pass", "服务或承诺落实检查全部合格", "service", A, "onsite_check",
     {"check_types": ["service", "commitments"], "all_items_passed": True}, "4", "4"),
    ("se_commitment_pending", "服务承诺或无理由退货承诺待核实", "service", P, "commitment",
     {"kinds": ["service", "return"], **DECLARED}, "0", "0"),
    ("se_finding_open", "服务问题尚未确认整改", "service", D, "finding",
     {"guarantee": "service", "rectified": "unconfirmed"}, "3", "6"),
    ("se_finding_rectified", "服务问题已确认整改", "service", D, "finding",
     {"guarantee": "service", "rectified": "confirmed"}, "1", "2"),
    ("se_false_ad_penalty", "虚假宣传行政处罚", "service", D, "penalty",
     {"kinds": ["false_advertising"]}, "5", "10"),
    ("se_complaint", "查实经营者有过错的服务或虚假宣传投诉", "service", D, "complaint",
     {"categories": ["service", "false_ad"], "fault": ["at_fault"]}, "2", "6"),
    # --- Rights protection: 8 + 4 + 2 + 2 + 2 + 1 + 1 = 20 ---
    ("r_base", "维权放心基础分", "rights", A, "baseline", {}, "8", "8"),
    ("r_station", "12315消费维权服务站有专人负责并经核实", "rights", A, "station",
     {"named_person": True, **VERIFIED}, "4", "4"),
    ("r_first_ask", "首问负责制度经核实", "rights", A, "commitment",
     {"kinds": ["first_ask"], **VERIFIED}, "2", "2"),
    ("r_advance_comp", "先行赔付制度经核实", "rights", A, "commitment",
     {"kinds": ["advance_comp"], **VERIFIED}, "2", "2"),
    ("r_odr_settled", "在ODR答复期限内与消费者和解", "rights", A, "complaint",
     {"odr_settled_in_time": True}, "1", "2"),
    ("r_handling_rate", "ODR投诉处理率100%（3件以上）", "rights", A, "complaint_rate",
     {"rate": "handling", "meets": True, "threshold": 100, "min_complaints": 3}, "1", "1"),
    ("r_reconciliation_rate", "ODR投诉和解率高于90%（3件以上）", "rights", A, "complaint_rate",
     {"rate": "reconciliation", "meets": True, "threshold": 90, "min_complaints": 3}, "1", "1"),
    ("r_station_pending", "12315服务站待核实", "rights", P, "station", DECLARED, "0", "0"),
    ("r_commitment_pending", "首问负责或先行赔付承诺待核实", "rights", P, "commitment",
     {"kinds": ["first_ask", "advance_comp"], **DECLARED}, "0", "0"),
    ("r_odr_lapsed", "ODR投诉逾期未答复", "rights", D, "complaint",
     {"odr_escalated": True}, "3", "9"),
    ("r_refused_mediation", "经营者拒绝调解", "rights", D, "complaint",
     {"fault": ["refused"]}, "4", "8"),
    ("r_handling_missed", "ODR投诉处理率未达100%（3件以上）", "rights", D, "complaint_rate",
     {"rate": "handling", "meets": False, "threshold": 100, "min_complaints": 3}, "2", "2"),
    ("r_reconciliation_missed", "ODR投诉和解率未高于90%（3件以上）", "rights", D,
     "complaint_rate",
     {"rate": "reconciliation", "meets": False, "threshold": 90, "min_complaints": 3}, "2", "2"),
    ("r_complaint", "查实经营者有过错的合同、售后及其他投诉", "rights", D, "complaint",
     {"categories": ["contract", "after_sales", "other"], "fault": ["at_fault"]}, "2", "6"),
    ("r_finding_open", "维权问题尚未确认整改", "rights", D, "finding",
     {"guarantee": "rights", "rectified": "unconfirmed"}, "3", "6"),
    ("r_finding_rectified", "维权问题已确认整改", "rights", D, "finding",
     {"guarantee": "rights", "rectified": "confirmed"}, "1", "2"),
    ("r_dishonest_veto", "列入严重违法失信名单", "rights", V, "dishonest_listing", {}, "0", "0"),
]
# fmt: on


def load(apps: Any, schema_editor: Any) -> None:
    """Create version 2 and make it the active version (once)."""
    Rubric = apps.get_model("scoring", "Rubric")
    Indicator = apps.get_model("scoring", "Indicator")
    if Rubric.objects.filter(version=VERSION).exists():
        return
    Rubric.objects.filter(status="active").update(status="retired")
    rubric = Rubric.objects.create(
        version=VERSION,
        name="五放心评分细则（第2版：凭证据得分）",
        status="active",
        lookback_months=12,
        unrated_without_evidence=3,
        grade_bands=GRADE_BANDS,
        caps=CAPS,
        activated_at=timezone.now(),
        notes="凭证据得分：3项及以上“放心”无证据的单位为“未评定”；说明见 docs/rubric.zh.md。",
    )
    Indicator.objects.bulk_create(
        Indicator(
            rubric=rubric,
            code=code,
            label=label,
            guarantee=guarantee,
            kind=kind,
            record_kind=record_kind,
            params=params,
            points=Decimal(points),
            limit=Decimal(limit),
            order=10 * (index + 1),
        )
        for index, (code, label, guarantee, kind, record_kind, params, points, limit) in enumerate(
            INDICATORS
        )
    )


def unload(apps: Any, schema_editor: Any) -> None:
    Rubric = apps.get_model("scoring", "Rubric")
    removed, _ = Rubric.objects.filter(version=VERSION, scores__isnull=True).delete()
    if removed and not Rubric.objects.filter(status="active").exists():
        Rubric.objects.filter(version=1).update(status="active")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0008_rubric_v2_fields")]
    operations = [migrations.RunPython(load, unload)]
