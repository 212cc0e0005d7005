"""Personal data is masked by default (DESIGN.md §4)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from lyushunkou.masking import mask, mask_address, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("0411-86201234", "0411****1234"),
        ("12315", "*****"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_show_only_prefix_and_last_four(raw: str | None, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("李", "*"),
        (" 王五 ", "王*"),
        ("Alice", "A****"),
        ("", ""),
    ],
)
def test_names_keep_only_the_surname(raw: str, masked: str) -> None:
    assert mask_name(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("210212199001011234", "2102**********1234"),
        ("21021219900101123X", "2102**********123X"),
        ("210212900101123", "2102*******1123"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_id_numbers_keep_region_and_last_four(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


def test_addresses_keep_the_administrative_part_only() -> None:
    assert mask_address("辽宁省大连市旅顺口区黄河路24号") == "辽宁省大连市旅顺口区****"
    assert mask_address("登峰街道某小区3号楼") == "登峰街道****"
    assert "24号" not in mask_address("黄河路24号")


def test_template_filters_mask_every_kind() -> None:
    rendered = Template(
        "{% load masking %}{{ p|mask_phone }} {{ n|mask_name }} {{ i|mask_id_number }}"
    ).render(Context({"p": "13812345678", "n": "欧阳娜娜", "i": "210212199001011234"}))
    assert rendered == "138****5678 欧阳** 2102**********1234"


def test_mask_dispatches_by_kind() -> None:
    assert mask("13812345678", "phone") == "138****5678"
    with pytest.raises(KeyError):
        mask("x", "unknown")
