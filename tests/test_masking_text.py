"""Personal data inside free text is found and shown in the field masks' shapes (DESIGN.md §4)."""

from __future__ import annotations

import pytest

from lyushunkou.masking_text import PersonalData, find_personal_data, mask_text, redact_text

REQUEST = "请联系13912345678，身份证210212199001011234，我叫张三"


def test_the_pen_test_request_is_masked_in_the_field_shapes() -> None:
    assert mask_text(REQUEST, names=["张三"]) == (
        "请联系139****5678，身份证2102**********1234，我叫张*"
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13912345678。", "电话139****5678。"),
        ("电话 139-1234-5678", "电话 139****5678"),
        ("电话 139 1234 5678", "电话 139****5678"),
        ("+86 13912345678", "139****5678"),
        ("+8613912345678", "139****5678"),
        ("0086-13912345678", "139****5678"),
        ("座机0411-86201234", "座机0411****1234"),
        ("座机 (0411)86201234", "座机 0411****1234"),
        ("北京010-62345678", "北京010****5678"),
        ("座机86201234", "座机86**1234"),
        ("联系电话：86201234", "联系电话：86**1234"),
    ],
)
def test_mobile_and_landline_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证210212199001011234。", "身份证2102**********1234。"),
        ("身份证21021219900101123X。", "身份证2102**********123X。"),
        ("身份证21021219900101123x", "身份证2102**********123x"),
        ("身份证 210212 19900101 1234", "身份证 2102**********1234"),
        ("老身份证210212900101123", "老身份证2102*******1123"),
    ],
)
def test_resident_id_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "涉及金额12345元",
        "2026-10-08购买",
        "2026年10月8日 14:30",
        "订单号20241105",
        "12315热线转来",
        "注册号210212000012345",  # 15 digits but no date inside: a business registration number
        "统一社会信用代码91210212MA0Y12345X",
        "金额680.00元，挽回300元",
    ],
)
def test_numbers_that_are_not_personal_data_stay_as_they_are(text: str) -> None:
    assert mask_text(text) == text
    assert redact_text(text) == text


def test_the_complainants_own_name_and_address_are_masked_wherever_they_occur() -> None:
    person = PersonalData(
        names=("欧阳娜娜",), addresses=("辽宁省大连市旅顺口区登峰街道某小区3号楼",)
    )
    assert person.mask("欧阳娜娜来电，欧阳娜娜要求退款") == "欧阳**来电，欧阳**要求退款"
    assert person.mask("住辽宁省大连市旅顺口区登峰街道某小区3号楼") == (
        "住辽宁省大连市旅顺口区****"
    )
    # Written without the district, the address keeps nothing at all.
    assert person.mask("送达登峰街道某小区3号楼") == "送达****"
    assert person.mask("送达某小区3号楼") == "送达****"


def test_the_complainants_own_phone_and_id_are_found_however_they_are_grouped() -> None:
    person = PersonalData(phones=("0411-86201234",), id_numbers=("21021219900101123X",))
    assert person.mask("拨8620 1234无人接听") == "拨86**1234无人接听"
    assert person.mask("证件2102121990 0101123x") == "证件2102**********123x"


def test_names_of_one_character_are_not_looked_for() -> None:
    assert PersonalData(names=("李",)).mask("李先生的李子") == "李先生的李子"


def test_an_empty_or_missing_text_is_empty() -> None:
    assert mask_text(None) == mask_text("") == redact_text(None) == ""


def test_masking_and_redacting_find_the_same_places() -> None:
    person = PersonalData(
        names=("张三",),
        addresses=("辽宁省大连市旅顺口区黄河路24号",),
        phones=("13912345678",),
        id_numbers=("210212199001011234",),
    )
    text = (
        "张三（13912345678，身份证210212199001011234）住辽宁省大连市旅顺口区黄河路24号，"
        "另留座机0411-86201234，2026-10-08购买，金额12345元。"
    )
    found = find_personal_data(
        text,
        names=person.names,
        addresses=person.addresses,
        phones=person.phones,
        id_numbers=person.id_numbers,
    )
    assert [text[f.start : f.end] for f in found] == [
        "张三",
        "13912345678",
        "210212199001011234",
        "辽宁省大连市旅顺口区黄河路24号",
        "0411-86201234",
    ]
    assert person.redact(text) == (
        "****（****，身份证****）住****，另留座机****，2026-10-08购买，金额12345元。"
    )
    assert person.mask(text) == (
        "张*（139****5678，身份证2102**********1234）住辽宁省大连市旅顺口区****，"
        "另留座机0411****1234，2026-10-08购买，金额12345元。"
    )
