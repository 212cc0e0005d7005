"""The district targets of DESIGN.md §6, as data: every key at district scope, and the stricter
complaint satisfaction rate of a demonstration area. Rates are fractions (0.96 for 96%); the
per-thousand figure is batches per thousand residents per year. Administrators edit thresholds in
the admin site; re-running this migration leaves edited rows alone."""

from decimal import Decimal

from django.db import migrations

PERCENT = "%"
PER_THOUSAND = "批次/千人"

# key, label, comparator, threshold, shown as, definition
DISTRICT_TARGETS = [
    (
        "key_goods_sampling_pass_rate",
        "重点消费品抽检合格率",
        "gte",
        Decimal("0.96"),
        PERCENT,
        "监督抽检和评价性抽检中已出最终结论的重点消费品批次：合格批次 ÷ 已出结论批次",
    ),
    (
        "food_sampling_per_thousand",
        "食品抽检量（每千人）",
        "gte",
        Decimal("2.0"),
        PER_THOUSAND,
        "监督抽检、评价性抽检和风险监测的食品批次（不含快检，含待检）÷（常住人口 ÷ 1000），"
        "按期间天数折算为年",
    ),
    (
        "food_sampling_pass_rate",
        "食品抽检合格率",
        "gte",
        Decimal("0.97"),
        PERCENT,
        "监督抽检和评价性抽检中已出最终结论的食品批次：合格批次 ÷ 已出结论批次",
    ),
    (
        "life_services_satisfaction",
        "生活服务消费满意度",
        "gte",
        Decimal("0.80"),
        PERCENT,
        "消费者问卷：满意 + 基本满意 ÷ 答卷数",
    ),
    (
        "complaint_handling_rate",
        "投诉处理率",
        "gte",
        Decimal("1.00"),
        PERCENT,
        "办结（含不予受理）÷（期间登记的投诉 − 仍在法定时限内办理中的投诉）",
    ),
    (
        "complaint_resolution_rate",
        "投诉调解成功率",
        "gte",
        Decimal("0.90"),
        PERCENT,
        "调解成功 ÷（调解成功 + 调解不成 + 终止调解），期间办结的投诉",
    ),
    (
        "complaint_satisfaction_rate",
        "投诉处理满意率",
        "gte",
        Decimal("0.80"),
        PERCENT,
        "回访：满意 + 基本满意 ÷ 有回答的回访（未评价不计）",
    ),
    (
        "station_coverage",
        "示范单位12315维权服务站覆盖率",
        "gte",
        Decimal("0.90"),
        PERCENT,
        "设有在用12315消费维权服务站的示范单位 ÷ 示范单位（含预警）",
    ),
    (
        "programme_awareness_rate",
        "放心消费创建知晓率",
        "gte",
        Decimal("0.80"),
        PERCENT,
        "消费者问卷：知晓放心消费创建的受访者 ÷ 受访者",
    ),
    (
        "programme_recognition_rate",
        "放心消费创建认可度",
        "gte",
        Decimal("0.90"),
        PERCENT,
        "消费者问卷：认可的受访者 ÷ 知晓的受访者",
    ),
    (
        "problem_detection_rate",
        "抽检问题发现率",
        "decrease",
        None,
        PERCENT,
        "不合格批次 ÷ 已出最终结论批次，按抽检类型分别与上年同期比较，逐年下降",
    ),
]
DEMO_AREA_TARGETS = [("complaint_satisfaction_rate", Decimal("0.90"))]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Target = apps.get_model("scoring", "Target")
    labels = {}
    for order, (key, label, comparator, threshold, unit_label, definition) in enumerate(
        DISTRICT_TARGETS, 1
    ):
        labels[key] = (label, comparator, unit_label, definition, order)
        Target.objects.get_or_create(
            key=key,
            scope="district",
            jurisdiction=None,
            defaults={
                "label": label,
                "comparator": comparator,
                "threshold": threshold,
                "unit_label": unit_label,
                "definition": definition,
                "order": order,
            },
        )
    for key, threshold in DEMO_AREA_TARGETS:
        label, comparator, unit_label, definition, order = labels[key]
        Target.objects.get_or_create(
            key=key,
            scope="demo_area",
            jurisdiction=None,
            defaults={
                "label": label,
                "comparator": comparator,
                "threshold": threshold,
                "unit_label": unit_label,
                "definition": definition + "（示范区标准）",
                "order": order,
            },
        )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    Target = apps.get_model("scoring", "Target")
    keys = [row[0] for row in DISTRICT_TARGETS]
    Target.objects.filter(key__in=keys, jurisdiction__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0002_default_rubric")]
    operations = [migrations.RunPython(load, unload)]
