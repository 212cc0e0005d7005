"""Plain words for operators (issue 15 item 7): the rubric's rule names, which operators read on
their grade page, say "企业自行和解（10个工作日内）" instead of the jargon "ODR".

Only a name still as the data migrations wrote it is renamed (an administrator's own wording is
kept), in the rubric versions 1 and 2 and in the grades already computed with them (each grade
keeps the rule names it was computed with, in ``UnitScore.evidence``). The data is written out
here, not imported from the app, so this migration always does the same thing.
"""

from typing import Any

from django.db import migrations

SELF = "企业自行和解（10个工作日内）"

# (rubric version, indicator code, name before, name after)
RENAMES = [
    (1, "r_odr_settled", "通过在线纠纷解决（ODR）自行和解", f"通过{SELF}与消费者和解"),
    (1, "r_odr_escalated", "逾期未处理ODR投诉", f"{SELF}逾期未答复的投诉"),
    (2, "r_odr_settled", "在ODR答复期限内与消费者和解", f"{SELF}成功"),
    (2, "r_handling_rate", "ODR投诉处理率100%（3件以上）", f"{SELF}的投诉处理率100%（3件以上）"),
    (
        2,
        "r_reconciliation_rate",
        "ODR投诉和解率高于90%（3件以上）",
        f"{SELF}的投诉和解率高于90%（3件以上）",
    ),
    (2, "r_odr_lapsed", "ODR投诉逾期未答复", f"{SELF}逾期未答复的投诉"),
    (
        2,
        "r_handling_missed",
        "ODR投诉处理率未达100%（3件以上）",
        f"{SELF}的投诉处理率未达100%（3件以上）",
    ),
    (
        2,
        "r_reconciliation_missed",
        "ODR投诉和解率未高于90%（3件以上）",
        f"{SELF}的投诉和解率未高于90%（3件以上）",
    ),
]


def _rename(apps: Any, pairs: list[tuple[int, str, str, str]]) -> None:
    Indicator = apps.get_model("scoring", "Indicator")
    UnitScore = apps.get_model("scoring", "UnitScore")
    for version, code, before, after in pairs:
        Indicator.objects.filter(rubric__version=version, code=code, label=before).update(
            label=after
        )
    by_rule = {(version, code, before): after for version, code, before, after in pairs}
    codes = {code for _version, code, _before, _after in pairs}
    changed = []
    scores = UnitScore.objects.only("pk", "evidence", "rubric__version").select_related("rubric")
    for score in scores.iterator(chunk_size=500):
        touched = False
        for item in score.evidence or []:
            if not isinstance(item, dict) or item.get("indicator") not in codes:
                continue
            after = by_rule.get((score.rubric.version, item["indicator"], item.get("label")))
            if after is not None:
                item["label"] = after
                touched = True
        if touched:
            changed.append(score)
        if len(changed) >= 500:
            UnitScore.objects.bulk_update(changed, ["evidence"])
            changed = []
    UnitScore.objects.bulk_update(changed, ["evidence"])


def forwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, RENAMES)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, [(version, code, after, before) for version, code, before, after in RENAMES])


class Migration(migrations.Migration):
    dependencies = [("scoring", "0009_rubric_v2")]
    operations = [migrations.RunPython(forwards, backwards)]
