"""Access-matrix rows of the demonstration-area checklist (see tests/test_access_matrix.py).

``build`` records an item of 登峰's checklist with an evidence file; ``rows(m)`` classifies what is
left of the checklist's pages since issue 21 retired them (the old address redirects to the
demonstration areas, see tests/areas/matrix_areas.py): the evidence file, for staff and leaders
(得胜 staff get a 404 for 登峰's file); nobody else reaches it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from scoring import targets

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(**world: Any) -> dict[str, Any]:
    record = targets.checklist_item_for_user(
        world["staff"], world["dengfeng"].code, "leadership_group", write=True
    )
    record = targets.checklist_item_save(
        record=record,
        by=world["staff"],
        version=0,
        done=True,
        note="旅政发〔2026〕12号 成立放心消费创建领导小组",
        upload=SimpleUploadedFile("领导小组.pdf", PDF, "application/pdf"),
        confirm=True,
    )
    return {"checklist_item": record}


def rows(m: Any) -> list[Any]:
    return [
        m.get("checklist-file", m.STAFF_READ_OBJ, lambda w: {"pk": w.extra["checklist_item"].pk}),
    ]
