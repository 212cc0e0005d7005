"""The default rubric (DESIGN.md §5) as version 1, active. docs/rubric.md documents every row.

Each guarantee: a baseline award plus awards whose caps add up to exactly 20; deductions with
floors; grade bands A ≥ 90, B 75–89, C 60–74, D < 60; a guarantee below 12 caps the grade at C,
below 8 at D; four vetoes (一票否决). All windows are the rubric's 12 months.

The data is written out here, not imported from the app, so this migration keeps producing the
same version 1 whatever the code later becomes. ``load`` is also called by tests whose database
was flushed (transactional tests), like lyushunkou's jurisdictions.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

GRADE_BANDS = [
    {"grade": "A", "min": 90},
    {"grade": "B", "min": 75},
    {"grade": "C", "min": 60},
    {"grade": "D", "min": 0},
]
CAPS = [{"below": 12, "cap": "C"}, {"below": 8, "cap": "D"}]

A, D, V = "award", "deduction", "veto"

# (code, label, guarantee, kind, record_kind, params, points, limit)
# fmt: off
INDICATORS = [
    # --- Quality: 17 + 2 + 1 = 20 ---
    ("q_base", "质量放心基础分", "quality", A, "baseline",
     {}, "17", "17"),
    ("q_purchase_commitment", "作出进货查验和台账承诺", "quality", A, "commitment",
     {"kinds": ["purchase"]}, "2", "2"),
    ("q_sampling_pass", "抽检合格（以复检后的最终结论计）", "quality", A, "sampling_batch",
     {"final_result": "pass"}, "1", "1"),
    ("q_sampling_fail", "抽检不合格（以复检后的最终结论计）", "quality", D, "sampling_batch",
     {"final_result": "fail"}, "4", "8"),
    ("q_finding_open", "质量问题尚未确认整改", "quality", D, "finding",
     {"guarantee": "quality", "rectified": "unconfirmed"}, "3", "6"),
    ("q_finding_rectified", "质量问题已确认整改", "quality", D, "finding",
     {"guarantee": "quality", "rectified": "confirmed"}, "1", "2"),
    ("q_penalty", "质量类行政处罚", "quality", D, "penalty",
     {"kinds": ["quality"]}, "5", "10"),
    ("q_complaint", "查实的质量投诉", "quality", D, "complaint",
     {"categories": ["quality"], "substantiated": True}, "2", "6"),
    ("q_harm_veto", "食品安全或质量问题造成消费者损害", "quality", V, "safety_incident",
     {"harmed_consumers": True}, "0", "0"),
    # --- Safety: 18 + 2 = 20 ---
    ("s_base", "安全放心基础分", "safety", A, "baseline",
     {}, "18", "18"),
    ("s_check_pass", "安全检查全部合格", "safety", A, "onsite_check",
     {"check_type": "safety", "all_items_passed": True}, "2", "2"),
    ("s_finding_open", "安全问题尚未确认整改", "safety", D, "finding",
     {"guarantee": "safety", "rectified": "unconfirmed"}, "3", "6"),
    ("s_finding_rectified", "安全问题已确认整改", "safety", D, "finding",
     {"guarantee": "safety", "rectified": "confirmed"}, "1", "2"),
    ("s_incident", "一般或较大安全事故", "safety", D, "safety_incident",
     {"severities": ["general", "larger"]}, "6", "12"),
    ("s_penalty", "安全类行政处罚", "safety", D, "penalty",
     {"kinds": ["safety"]}, "5", "10"),
    ("s_complaint", "查实的安全投诉", "safety", D, "complaint",
     {"categories": ["safety"], "substantiated": True}, "2", "6"),
    ("s_major_veto", "重大及以上安全事故", "safety", V, "safety_incident",
     {"severities": ["major", "extraordinary"]}, "0", "0"),
    # --- Price: 18 + 2 = 20 ---
    ("p_base", "价格放心基础分", "price", A, "baseline",
     {}, "18", "18"),
    ("p_check_pass", "明码标价检查全部合格", "price", A, "onsite_check",
     {"check_type": "price_marking", "all_items_passed": True}, "2", "2"),
    ("p_finding_open", "价格问题尚未确认整改", "price", D, "finding",
     {"guarantee": "price", "rectified": "unconfirmed"}, "3", "6"),
    ("p_finding_rectified", "价格问题已确认整改", "price", D, "finding",
     {"guarantee": "price", "rectified": "confirmed"}, "1", "2"),
    ("p_complaint", "查实的价格投诉", "price", D, "complaint",
     {"categories": ["price"], "substantiated": True}, "2", "6"),
    ("p_fraud_veto", "价格欺诈或哄抬价格受到处罚", "price", V, "penalty",
     {"kinds": ["price_fraud"]}, "0", "0"),
    # --- Service: 16 + 4 = 20 ---
    ("se_base", "服务放心基础分", "service", A, "baseline",
     {}, "16", "16"),
    ("se_commitment", "作出公开服务承诺或无理由退货承诺", "service", A, "commitment",
     {"kinds": ["service", "return"]}, "2", "4"),
    ("se_finding_open", "服务问题尚未确认整改", "service", D, "finding",
     {"guarantee": "service", "rectified": "unconfirmed"}, "3", "6"),
    ("se_finding_rectified", "服务问题已确认整改", "service", D, "finding",
     {"guarantee": "service", "rectified": "confirmed"}, "1", "2"),
    ("se_false_ad_penalty", "虚假宣传行政处罚", "service", D, "penalty",
     {"kinds": ["false_advertising"]}, "5", "10"),
    ("se_complaint", "查实的服务或虚假宣传投诉", "service", D, "complaint",
     {"categories": ["service", "false_ad"], "substantiated": True}, "2", "6"),
    # --- Rights protection: 12 + 3 + 2 + 2 + 1 = 20 ---
    ("r_base", "维权放心基础分", "rights", A, "baseline",
     {}, "12", "12"),
    ("r_station", "设立12315消费维权服务站", "rights", A, "station",
     {}, "3", "3"),
    ("r_first_ask", "作出首问负责承诺", "rights", A, "commitment",
     {"kinds": ["first_ask"]}, "2", "2"),
    ("r_advance_comp", "作出先行赔付承诺", "rights", A, "commitment",
     {"kinds": ["advance_comp"]}, "2", "2"),
    ("r_odr_settled", "通过在线纠纷解决（ODR）自行和解", "rights", A, "complaint",
     {"odr_settled": True}, "1", "1"),
    ("r_odr_escalated", "逾期未处理ODR投诉", "rights", D, "complaint",
     {"odr_escalated": True}, "2", "6"),
    ("r_complaint", "查实的合同、售后及其他投诉", "rights", D, "complaint",
     {"categories": ["contract", "after_sales", "other"], "substantiated": True}, "2", "6"),
    ("r_finding_open", "维权问题尚未确认整改", "rights", D, "finding",
     {"guarantee": "rights", "rectified": "unconfirmed"}, "3", "6"),
    ("r_finding_rectified", "维权问题已确认整改", "rights", D, "finding",
     {"guarantee": "rights", "rectified": "confirmed"}, "1", "2"),
    ("r_dishonest_veto", "列入严重违法失信名单", "rights", V, "dishonest_listing",
     {}, "0", "0"),
]
# fmt: on


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Rubric = apps.get_model("scoring", "Rubric")
    Indicator = apps.get_model("scoring", "Indicator")
    if Rubric.objects.filter(version=1).exists():
        return
    rubric = Rubric.objects.create(
        version=1,
        name="五放心评分细则（默认）",
        status="active",
        lookback_months=12,
        grade_bands=GRADE_BANDS,
        caps=CAPS,
        activated_at=timezone.now(),
        notes="DESIGN.md §5 的默认细则；说明见 docs/rubric.zh.md。",
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


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    Rubric = apps.get_model("scoring", "Rubric")
    Rubric.objects.filter(version=1, scores__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
