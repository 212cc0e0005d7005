"""A complaint's free texts as every page, export and the anonymiser see them (DESIGN.md §4).

Staff, operators and leaders type the complainant's phone, ID number, name or address into the
request, a mediation record, a reply or a note as often as into the fields. Whatever shows such a
text takes it from here: masked by default (``138****5678``, ``张*``), in clear only on the
unmasking page, after the reason was given and audited. The anonymiser finds the same data with
the same ``complainant_data`` and the same patterns (``lyushunkou.masking_text``), so what a page
masks and what anonymisation erases cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from complaints.models import Complaint
from lyushunkou import crypto
from lyushunkou.masking_text import PersonalData

# The complaint's own fields that a person writes; the notes of its timeline (ComplaintEvent),
# mediation records (MediationRecord) and pauses (MediationPause.reason) are free texts as well.
COMPLAINT_TEXTS = ("request_text", "conclusion_note", "odr_response_text", "transferred_to")

TextShown = Callable[[str | None], str]


def complainant_data(complaint: Complaint) -> PersonalData:
    """The complainant's name, phone, ID number and address as the record holds them."""
    try:
        id_number = crypto.decrypt(complaint.complainant_id_encrypted)
    except ValueError:  # encrypted under a key since lost: the ID pattern still finds it
        id_number = ""
    return PersonalData(
        names=(complaint.complainant_name,),
        addresses=(complaint.complainant_address,),
        id_numbers=(id_number,),
        phones=(complaint.complainant_phone,),
    )


def _as_is(text: str | None) -> str:
    return text or ""


def text_shown(complaint: Complaint, *, clear: bool = False) -> TextShown:
    """How this complaint's free texts are shown: masked, or as written for ``clear``, which only
    the unmasking page passes once the service has checked the permission and audited the reason."""
    return _as_is if clear else complainant_data(complaint).mask


@dataclass(frozen=True)
class ComplaintTexts:
    request_text: str
    conclusion_note: str
    odr_response_text: str
    transferred_to: str


def complaint_texts(complaint: Complaint, shown: TextShown) -> ComplaintTexts:
    return ComplaintTexts(**{name: shown(getattr(complaint, name)) for name in COMPLAINT_TEXTS})
