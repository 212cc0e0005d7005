"""The entity kind a unified social credit code declares (a units concept).

The code itself (normalising, validating, generating) is a national identifier and lives in
``lyushunkou.credit_codes``. The names re-exported below keep a few modules that still import them
from here working until they switch; new code imports them from ``lyushunkou.credit_codes``.
"""

from __future__ import annotations

from lyushunkou.credit_codes import (
    generate_credit_code,
    normalize_credit_code,
    validate_credit_code,
)

__all__ = [
    "entity_kind_for",
    "generate_credit_code",
    "normalize_credit_code",
    "validate_credit_code",
]


def entity_kind_for(code: str) -> str:
    """The entity kind the code's first two characters declare (registering authority + type)."""
    from units.models import EntityKind

    if code[:1] == "9":  # registered by market supervision (工商)
        return {
            "1": EntityKind.ENTERPRISE,
            "2": EntityKind.INDIVIDUAL,
            "3": EntityKind.COOPERATIVE,
        }.get(code[1:2], EntityKind.OTHER)
    return EntityKind.OTHER
