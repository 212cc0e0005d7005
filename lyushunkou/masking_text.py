"""Personal data inside free text (DESIGN.md §4): one set of patterns for display and anonymising.

A complainant's phone, ID number, name or address typed into a request, a mediation record or an
operator's reply is as personal as the masked fields. ``find_personal_data`` finds it: every
mainland mobile number, every landline written with its area code (or right after 电话/座机), every
resident ID number (18 characters, or 15 digits around a real date), and wherever they occur, the
name, phone, ID number and address on the complaint's own record. ``mask_text`` shows what it found
in the field masks' shapes (``138****5678``, ``2102**********1234``, ``张*``); ``redact_text``
erases it for good (the anonymiser). Both read the same matches, so what a page masks is exactly
what anonymisation erases.

Amounts (12345元), dates (2026-10-08), order numbers of 8 digits and record numbers are left alone:
a bare run of digits is a phone only with the shape of one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from lyushunkou.masking import (
    MASK,
    address_detail,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
)

REDACTED = MASK * 4
PHONE, ID_NUMBER, NAME, ADDRESS = "phone", "id_number", "name", "address"
ADDRESS_PART = "address_part"  # what follows the district or street of a known address
SHAPES: dict[str, Callable[[str], str]] = {
    PHONE: mask_phone,
    ID_NUMBER: mask_id_number,
    NAME: mask_name,
    ADDRESS: mask_address,
}

_AREA_CODE = r"0(?:10|2\d|[3-9]\d{2})"  # 010, 02x, then four digits: 0411 Dalian
MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[- ]?|86[- ]|0)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
# Local numbers never start with 0 or 1; the area code may stand in brackets.
LANDLINE = re.compile(
    rf"(?<![\d+])(?:{_AREA_CODE}|[(（]{_AREA_CODE}[)）])[- ]?[2-9]\d{{6,7}}(?!\d)"
)
# A local number without its area code is taken for a phone only where the text says it is one.
LOCAL_PHONE = re.compile(
    r"(?:电话|座机|固话|联系方式|号码|tel|TEL|Tel)[号码]?\s*(?:是|为)?\s*[:：]?\s*"
    r"(?P<number>[2-9]\d{6,7})(?!\d)"
)
# Region codes start 1–8; the 17 digits may be grouped 6-8-4 with spaces.
ID_18 = re.compile(r"(?<![0-9A-Za-z])[1-8]\d{5} ?\d{8} ?\d{3}[\dXx](?![0-9A-Za-z])")
# First-generation cards: region, YYMMDD, sequence. Only a real date makes 15 digits an ID.
ID_15 = re.compile(
    r"(?<![0-9A-Za-z])[1-8]\d{5}(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})\d{3}(?![0-9A-Za-z])"
)
_MIN_KNOWN = 2  # shorter known values (a one-character name) would mask half of any text
_MIN_ADDRESS_PART = 4  # "3号楼" alone is no address


@dataclass(frozen=True)
class Found:
    """One piece of personal data in a text: ``text[start:end]`` is of ``kind``."""

    start: int
    end: int
    kind: str


def _is_date(yy: str, mm: str, dd: str) -> bool:
    try:
        dt.date(1900 + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def _digits_pattern(digits: str) -> str:
    """The digits as typed in any grouping: ``138 1234-5678`` is the same number."""
    return "(?<!\\d)" + "[- ]?".join(re.escape(d) for d in digits) + "(?!\\d)"


def _phone_patterns(phone: str) -> Iterator[str]:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 7:
        return
    yield _digits_pattern(digits)
    if digits.startswith("0") and len(digits) >= 10:  # the local number alone, without 0411
        local = digits[3:] if digits[1] in "12" else digits[4:]
        if len(local) >= 7:
            yield _digits_pattern(local)


def _id_patterns(id_number: str) -> Iterator[str]:
    compact = re.sub(r"\s", "", id_number).upper()
    if len(compact) >= 8:
        yield (
            "(?<![0-9A-Za-z])"
            + " ?".join("[Xx]" if c == "X" else re.escape(c) for c in compact)
            + "(?![0-9A-Za-z])"
        )


@lru_cache(maxsize=256)
def _known_patterns(
    names: tuple[str, ...],
    addresses: tuple[str, ...],
    id_numbers: tuple[str, ...],
    phones: tuple[str, ...],
) -> tuple[tuple[re.Pattern[str], str], ...]:
    """One compiled pattern per kind for a record's own values, longest value first."""
    literal: dict[str, set[str]] = {NAME: set(names), ADDRESS: set(addresses), ADDRESS_PART: set()}
    for address in addresses:
        part = address_detail(address)
        while len(part) >= _MIN_ADDRESS_PART:  # what follows 旅顺口区, then 登峰街道 …
            literal[ADDRESS_PART].add(part)
            part = address_detail(part)
    alternatives: dict[str, list[str]] = {
        kind: [re.escape(v) for v in sorted(values, key=len, reverse=True) if len(v) >= _MIN_KNOWN]
        for kind, values in literal.items()
    }
    alternatives[PHONE] = [p for phone in phones for p in _phone_patterns(phone)]
    alternatives[ID_NUMBER] = [p for number in id_numbers for p in _id_patterns(number)]
    return tuple(
        (re.compile("|".join(patterns)), kind)
        for kind, patterns in alternatives.items()
        if patterns
    )


def _clean(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({v.strip() for v in values if v and v.strip()}))


def find_personal_data(
    text: str,
    *,
    names: Iterable[str | None] = (),
    addresses: Iterable[str | None] = (),
    id_numbers: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
) -> list[Found]:
    """Every piece of personal data in ``text``, in order, none overlapping (the earliest, then
    the longest, wins: an address that contains a phone number is masked as the address)."""
    if not text:
        return []
    candidates: list[Found] = []
    known = _known_patterns(_clean(names), _clean(addresses), _clean(id_numbers), _clean(phones))
    for pattern, kind in known:
        candidates += [Found(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    for pattern in (MOBILE, LANDLINE):
        candidates += [Found(m.start(), m.end(), PHONE) for m in pattern.finditer(text)]
    candidates += [
        Found(m.start("number"), m.end("number"), PHONE) for m in LOCAL_PHONE.finditer(text)
    ]
    candidates += [Found(m.start(), m.end(), ID_NUMBER) for m in ID_18.finditer(text)]
    candidates += [
        Found(m.start(), m.end(), ID_NUMBER)
        for m in ID_15.finditer(text)
        if _is_date(m["yy"], m["mm"], m["dd"])
    ]
    found: list[Found] = []
    for item in sorted(candidates, key=lambda f: (f.start, -f.end)):
        if item.end > item.start and (not found or item.start >= found[-1].end):
            found.append(item)
    return found


def _replace(text: str, found: list[Found], replacement: Callable[[Found, str], str]) -> str:
    parts, position = [], 0
    for item in found:
        parts += [text[position : item.start], replacement(item, text[item.start : item.end])]
        position = item.end
    parts.append(text[position:])
    return "".join(parts)


def _shape(item: Found, value: str) -> str:
    if item.kind == ADDRESS_PART:
        # A fragment ("登峰街道某小区3号楼") keeps nothing: only the whole address keeps its
        # administrative head, as the field shows it.
        return REDACTED
    return SHAPES[item.kind](value)


def mask_text(
    text: str | None,
    *,
    names: Iterable[str | None] = (),
    addresses: Iterable[str | None] = (),
    id_numbers: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
) -> str:
    """``text`` as pages and exports show it: personal data in the field masks' shapes."""
    if not text:
        return ""
    found = find_personal_data(
        text, names=names, addresses=addresses, id_numbers=id_numbers, phones=phones
    )
    return _replace(text, found, _shape)


def redact_text(
    text: str | None,
    *,
    names: Iterable[str | None] = (),
    addresses: Iterable[str | None] = (),
    id_numbers: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
) -> str:
    """``text`` with every piece of personal data replaced by ``****``: nothing of it is kept."""
    if not text:
        return ""
    found = find_personal_data(
        text, names=names, addresses=addresses, id_numbers=id_numbers, phones=phones
    )
    return _replace(text, found, lambda _item, _value: REDACTED)


@dataclass(frozen=True)
class PersonalData:
    """One person's data as a record holds it, to find again in the record's free texts."""

    names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def mask(self, text: str | None) -> str:
        return mask_text(
            text,
            names=self.names,
            addresses=self.addresses,
            id_numbers=self.id_numbers,
            phones=self.phones,
        )

    def redact(self, text: str | None) -> str:
        return redact_text(
            text,
            names=self.names,
            addresses=self.addresses,
            id_numbers=self.id_numbers,
            phones=self.phones,
        )
