"""Cells every file has: words from a vocabulary, credit codes, the records already registered
under the file's keys, and streets (``Streets``) within the importing user's scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from lyushunkou.access import jurisdictions_for_user
from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from lyushunkou.models import Jurisdiction, User
from lyushunkou.tabular import header_key

ModelT = TypeVar("ModelT", bound=Model)


def vocabulary(
    names: Mapping[Any, str],
    choices: Iterable[tuple[str, Any]] = (),
    aliases: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Accepted spellings → stored value: the file's Chinese word, the stored value, the
    choices' labels in English and Chinese, and ``aliases``; look up with ``lookup``."""
    accepted: dict[str, str] = {}
    for value, label in choices:
        accepted[value.lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                accepted[header_key(str(label)).lower()] = value
    for value, name in names.items():
        accepted[str(value).lower()] = str(value)
        accepted[header_key(name).lower()] = str(value)
    for name, value in (aliases or {}).items():
        accepted[header_key(name).lower()] = str(value)
    return accepted


def lookup(accepted: Mapping[str, str], text: str) -> str | None:
    return accepted.get(header_key(text).lower())


def credit_code_cell(text: str | None) -> tuple[str, str]:
    """A credit-code cell normalised, and why it is not a valid code ("" when it is, or blank)."""
    code = normalize_credit_code(text)
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as problem:
            return code, " ".join(problem.messages)
    return code, ""


def load_existing(queryset: QuerySet[ModelT], field: str, keys: Iterable[str]) -> dict[str, ModelT]:
    """The records already registered under the file's keys (blank keys skipped), by key."""
    found: dict[str, ModelT] = {}
    unique = sorted({key for key in keys if key})
    for start in range(0, len(unique), 500):  # stay under SQLite's parameter limit
        for record in queryset.filter(**{f"{field}__in": unique[start : start + 500]}):
            found[getattr(record, field)] = record
    return found


@dataclass
class Streets:
    """The streets a file may name (by name or 12-digit division code), and those the importing
    user may import into (``allowed`` None: every one)."""

    by_key: dict[str, Jurisdiction]
    allowed: set[int] | None
    scope_name: str

    @classmethod
    def load(cls, by: User | None) -> Streets:
        by_key: dict[str, Jurisdiction] = {}
        for jurisdiction in Jurisdiction.objects.all():
            by_key[jurisdiction.code] = jurisdiction
            by_key[header_key(jurisdiction.name)] = jurisdiction
        allowed: set[int] | None = None
        scope_name = ""
        if by is not None and not by.is_district_wide:
            scoped = list(jurisdictions_for_user(by))
            allowed = {jurisdiction.pk for jurisdiction in scoped}
            scope_name = "、".join(jurisdiction.name for jurisdiction in scoped)
        return cls(by_key, allowed, scope_name)

    def allows(self, jurisdiction_id: int | None) -> bool:
        return self.allowed is None or jurisdiction_id in self.allowed

    def find(
        self, text: str, *, district: str, outside: str, inactive_unknown: bool = False
    ) -> tuple[Jurisdiction | None, str]:
        """The street a cell names, and why the row may not name it ("" when it may):
        ``district`` when it names the district, ``outside`` (with ``%(scope)s``) when it is
        outside the user's streets. ``inactive_unknown``: a street no longer in use reads as
        unknown."""
        jurisdiction = self.by_key.get(header_key(text))
        if jurisdiction is None or (inactive_unknown and not jurisdiction.active):
            reason = _("Unknown street “%(value)s”; give its name or 12-digit division code.")
            return jurisdiction, reason % {"value": text}
        if not jurisdiction.active:
            return jurisdiction, _("%(street)s is no longer in use.") % {
                "street": jurisdiction.name
            }
        if jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
            return jurisdiction, district
        if not self.allows(jurisdiction.pk):
            return jurisdiction, outside % {"scope": self.scope_name}
        return jurisdiction, ""
