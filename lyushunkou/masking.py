"""Masking of personal data (DESIGN.md §4): every list, export and PDF shows these forms.

Each function takes whatever was stored (possibly empty or oddly formatted) and never raises, so a
template or an export cannot fail on a bad value; an unrecognised shape is masked more, not less.
The patterns that find the same data inside free text, for display and for the anonymiser alike,
are in ``lyushunkou.masking_text``.
"""

from __future__ import annotations

import re

MASK = "*"

# 复姓 in use today; a name starting with one keeps both characters.
_COMPOUND_SURNAMES = """
欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 司空 夏侯 轩辕 端木 独孤
南宫 西门 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 呼延 百里 东郭 拓跋 赫连
完颜 左丘 第五 梁丘 羊舌 微生 公羊 公良 乐正 谷梁 巫马 漆雕 壤驷 仲孙 叔孙 鲜于 闾丘 亓官 司寇
"""
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES.split())


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``; landlines keep their area code and last four digits."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}{MASK * 4}{digits[-4:]}"
    if len(digits) >= 7:
        # The area code only: 010 and 02x have three digits, the rest (0411 Dalian) four.
        keep_head = (3 if digits[1] in "12" else 4) if digits.startswith("0") else 2
        return f"{digits[:keep_head]}{MASK * (len(digits) - keep_head - 4)}{digits[-4:]}"
    return MASK * max(len(digits), 4)


def mask_name(value: str | None) -> str:
    """``张三`` → ``张*``; ``欧阳娜娜`` → ``欧阳**``; ``Alice Wong`` → ``A*********``."""
    if not value:
        return ""
    name = value.strip()
    if len(name) <= 1:
        return MASK
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + MASK * (len(name) - keep)


def mask_id_number(value: str | None) -> str:
    """``210212199001011234`` → ``2102**********1234``: region and last four digits only."""
    if not value:
        return ""
    compact = re.sub(r"\s", "", value)
    if len(compact) <= 8:
        return MASK * len(compact)
    return compact[:4] + MASK * (len(compact) - 8) + compact[-4:]


_ADDRESS_HEAD = re.compile(r"^.*?(?:街道|镇|乡|区|县)")


def address_detail(value: str | None) -> str:
    """The part of an address that ``mask_address`` hides: ``黄河路24号`` of
    ``辽宁省大连市旅顺口区黄河路24号``; empty when the address has no administrative head."""
    address = (value or "").strip()
    head = _ADDRESS_HEAD.match(address)
    return address[head.end() :] if head else ""


def mask_address(value: str | None) -> str:
    """Keep the administrative part up to the district/street, hide the rest.

    ``辽宁省大连市旅顺口区黄河路24号`` → ``辽宁省大连市旅顺口区****``.
    """
    if not value:
        return ""
    address = value.strip()
    head = _ADDRESS_HEAD.match(address)
    if head and head.end() < len(address):
        return head.group(0) + MASK * 4
    return address[: min(3, len(address) // 2)] + MASK * 4


MASKERS = {
    "phone": mask_phone,
    "name": mask_name,
    "id_number": mask_id_number,
    "address": mask_address,
}


def mask(value: str | None, kind: str) -> str:
    return MASKERS[kind](value)
