"""Small helpers the whole suite shares (STYLE.md habit 18); personas stay fixtures in conftest."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.test import Client
from openpyxl import Workbook

from lyushunkou.models import Jurisdiction, User
from tests.conftest import client_for
from tests.factories import UnitFactory
from units.models import Unit


def workbook_bytes(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsx file as an import page receives it: one sheet, a header row, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def english(who: User | Client) -> Client:
    """A client that reads the portal in English: a user is logged in first; a client is kept."""
    client = who if isinstance(who, Client) else client_for(who)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_unit(jurisdiction: Jurisdiction, seed: int, **fields: Any) -> Unit:
    """A retail unit of ``jurisdiction`` named 测试商店<seed>, the rest from ``UnitFactory``;
    ``fields`` override any column."""
    values: dict[str, Any] = {"name": f"测试商店{seed}", "industry": "retail", **fields}
    return UnitFactory.create(jurisdiction=jurisdiction, **values)


def font_kind(name: str) -> str:
    """ "sc" for a Simplified Chinese face embedded in a PDF (Noto Sans CJK SC, WenQuanYi Zen Hei),
    "other-cjk" for Noto's Japanese, Korean or Traditional faces, "" otherwise. PDF writers spell
    a face's name in different ways ("NotoSansCJKsc-Regular", "ABCDEF+Noto-Sans-CJK-SC"), so the
    name is compared by its letters and digits only."""
    letters = re.sub(r"[^0-9a-z]", "", name.lower())
    if re.search(r"cjksc|wenquanyi", letters):
        return "sc"
    if re.search(r"cjk(jp|kr|tc|hk)", letters):
        return "other-cjk"
    return ""
