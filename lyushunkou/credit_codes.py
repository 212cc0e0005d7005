"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

A national identifier, so it lives in the core: every app that reads a code (registration, imports
of complaints and sampling batches, filters) normalises and validates it here. Which entity kind a
code declares is a units concept and stays in ``units.credit_codes``.

``stdnum.cn.uscc`` checks length, alphabet and the mod-31 check digit; this module adds what a
person pasting a code needs: normalising full-width characters, spaces and case first, and saying
which rule the code breaks.
"""

from __future__ import annotations

import random
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FORBIDDEN_LETTERS = set("IOSVZ")
LYUSHUNKOU_DIVISION = "210212"


def normalize_credit_code(raw: str | None) -> str:
    """Full-width to half-width (NFKC), drop spaces and dashes, upper-case."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", raw)
    return re.sub(r"[\s\-‐‑–—]", "", text).upper()


def validate_credit_code(value: str) -> None:
    """Raise a ValidationError that names the problem; ``value`` should be normalised first."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    forbidden = sorted(FORBIDDEN_LETTERS & set(code))
    if forbidden:
        raise ValidationError(
            _("Credit codes never contain the letters I, O, S, V or Z; found %(letters)s."),
            code="forbidden_letter",
            params={"letters": ", ".join(forbidden)},
        )
    others = sorted({c for c in code if c not in ALPHABET})
    if others:
        raise ValidationError(
            _("The credit code contains characters that are not allowed: %(chars)s."),
            code="format",
            params={"chars": " ".join(others)},
        )
    if not code[:8].isdigit():
        raise ValidationError(
            _(
                "The first eight characters of a credit code (registering authority, entity type "
                "and division code) are digits."
            ),
            code="format",
        )
    try:
        uscc.validate(code)
    except uscc.InvalidChecksum:
        raise ValidationError(
            _("The check digit is wrong: please check the code for a mistyped character."),
            code="checksum",
        ) from None
    except uscc.ValidationError:
        raise ValidationError(_("This is not a valid credit code."), code="invalid") from None


def generate_credit_code(rng: random.Random, *, entity_type: str = "1") -> str:
    """A valid code registered by market supervision in Lyushunkou (for demo and test data)."""
    body = "".join(rng.choice(ALPHABET[:10]) for _ in range(8)) + rng.choice(ALPHABET)
    head = f"9{entity_type}{LYUSHUNKOU_DIVISION}{body}"
    return head + uscc.calc_check_digit(head)
