"""Lyushunkou District and its township-level subdivisions.

Codes are the national statistics bureau's 统计用区划代码 (2023 edition). The district's resident
population is the 7th national census (2020) figure implied by the district's 2023 statistical
bulletin (GDP ÷ GDP per head "按第七次全国人口普查常住人口计算" ≈ 355,000). No official per-street
census table was at hand, so street populations are left empty for administrators to enter; until
then per-thousand rates for a street show as no data rather than a guess.
"""

from django.db import migrations

DISTRICT = ("210212000000", "旅顺口区", "district", 355000, "第七次全国人口普查（2020），据2023年统计公报推算")
SUBDIVISIONS = [
    ("210212001000", "登峰街道", "street"),
    ("210212003000", "得胜街道", "street"),
    ("210212005000", "水师营街道", "street"),
    ("210212006000", "龙王塘街道", "street"),
    ("210212007000", "铁山街道", "street"),
    ("210212009000", "双岛湾街道", "street"),
    ("210212010000", "三涧堡街道", "street"),
    ("210212011000", "长城街道", "street"),
    ("210212012000", "龙头街道", "street"),
    ("210212014000", "江西街道", "street"),
    ("210212402000", "龙头分园", "park"),
]


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("lyushunkou", "Jurisdiction")
    code, name, kind, population, source = DISTRICT
    district, _ = Jurisdiction.objects.update_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "population": population,
                  "population_source": source, "sort_order": 0},
    )
    for order, (code, name, kind) in enumerate(SUBDIVISIONS, start=1):
        Jurisdiction.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": district, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("lyushunkou", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
