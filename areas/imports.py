"""Loading the communities and villages (社区/村) of each street from .xlsx or .csv (issue 21
item 2), shared by the page and ``manage.py import_communities``.

All or nothing, by the rules of every import (``lyushunkou.importing``): every row is checked
first, and an unknown street, a code twice in the file, a missing name (or any other error) means
nothing is written; each error reads ``row N, column: reason``. A code already loaded updates that
community's name and street; nothing is deleted (a community that leaves the list is made inactive
by staff, so the network points in it keep their history).

The file format (column headers) is defined here with the template, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Community
from lyushunkou import import_templates
from lyushunkou.import_templates import Column, example_value
from lyushunkou.importing import (
    ImportResult,
    Progress,
    RowError,
    Streets,
    load_existing,
    read_rows,
    record_import,
    write_rows,
)
from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.tabular import header_key

MAX_ROWS = 5_000  # the district has a few hundred; a city a few thousand
_CODE = re.compile(r"^[0-9A-Za-z-]{1,20}$")


COLUMNS = [
    Column("社区（村）代码", "code", gettext_lazy("Code of the community or village")),
    Column("社区（村）名称", "name", gettext_lazy("Name of the community or village")),
    Column("所属街道", "street", gettext_lazy("Street (name or division code)")),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def may_load(by: User | None) -> bool:
    """District-wide staff and the system administrator load the list (a dry run needs no one)."""
    if by is None:
        return True
    return by.is_active and (
        by.role == Role.SYSADMIN or (by.role == Role.STAFF and by.is_district_wide)
    )


@dataclass
class RowPlan:
    row: int
    code: str
    name: str
    street: Jurisdiction
    existing: Community | None = None

    @property
    def changed(self) -> bool:
        return self.existing is not None and (
            self.existing.name != self.name or self.existing.street_id != self.street.pk
        )


@dataclass
class _Context:
    streets: Streets
    existing: dict[str, Community]
    # (street id, name key) → code of the communities already loaded
    names: dict[tuple[int, str], str]
    seen_codes: dict[str, int] = field(default_factory=dict)
    seen_names: dict[tuple[int, str], int] = field(default_factory=dict)


def _context(codes: Sequence[str]) -> _Context:
    return _Context(
        # Every street: only users who may load the whole list get this far.
        streets=Streets.load(None),
        existing=load_existing(Community.objects.all(), "code", codes),
        names={
            (street_id, header_key(name)): code
            for street_id, name, code in Community.objects.values_list("street_id", "name", "code")
        },
    )


def _validate_row(number: int, values: dict[str, str], ctx: _Context) -> RowPlan | list[RowError]:
    errors: list[RowError] = []

    def error(key: str, reason: str) -> None:
        errors.append(RowError(number, COLUMN_BY_KEY[key].header, reason))

    code = values.get("code", "").replace(" ", "")
    name = values.get("name", "")
    if not code:
        error("code", _("This value is required."))
    elif not _CODE.match(code):
        error("code", _("The code has up to 20 letters, digits or hyphens, e.g. 210212001001."))
    elif code in ctx.seen_codes:
        error(
            "code",
            _("This code already appears on row %(row)d.") % {"row": ctx.seen_codes[code]},
        )
    else:
        ctx.seen_codes[code] = number
    if not name:
        error("name", _("The name is missing."))
    elif len(name) > Community._meta.get_field("name").max_length:  # type: ignore[operator]
        error("name", _("The name is longer than 60 characters."))

    street: Jurisdiction | None = None
    if not values.get("street"):
        error("street", _("This value is required."))
    else:
        street, reason = ctx.streets.find(
            values["street"],
            district=_("Give the street the community is in, not the district."),
            outside="",
            inactive_unknown=True,
        )
        if reason:
            error("street", reason)
    if errors or street is None:
        return errors

    key = (street.pk, header_key(name))
    if key in ctx.seen_names:
        error(
            "name",
            _("%(street)s already has “%(name)s” on row %(row)d.")
            % {"street": street.name, "name": name, "row": ctx.seen_names[key]},
        )
    ctx.seen_names[key] = number
    registered = ctx.names.get(key)
    if registered is not None and registered != code:
        error(
            "name",
            _("%(street)s already has “%(name)s”, under the code %(code)s.")
            % {"street": street.name, "name": name, "code": registered},
        )
    if errors:
        return errors
    return RowPlan(row=number, code=code, name=name, street=street, existing=ctx.existing.get(code))


def import_communities(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then write all of them or none; ``by`` None is a dry run's check."""
    result = ImportResult.start(filename, by, dry_run)
    if not may_load(by):
        result.problems.append(
            _("Only district-wide staff and the system administrator load the communities.")
        )
        return _finish(result, by)
    rows = read_rows(result, content, filename, COLUMNS, max_rows=MAX_ROWS)
    if rows is None:
        return _finish(result, by)
    ctx = _context([values.get("code", "").replace(" ", "") for _n, values in rows])
    plans = result.check(rows, lambda number, values: _validate_row(number, values, ctx))
    if result.errors:
        return _finish(result, by)
    result.count(plans, lambda plan: plan.changed)
    if not dry_run:
        write_rows(result, plans, _write, column=COLUMNS[0].header, progress=progress)
    return _finish(result, by)


def _write(plan: RowPlan) -> None:
    if plan.existing is None:
        Community.objects.create(code=plan.code, name=plan.name, street=plan.street)
    elif plan.changed:
        plan.existing.name = plan.name
        plan.existing.street = plan.street
        plan.existing.save(update_fields=["name", "street", "updated_at"])


def _finish(result: ImportResult, by: User | None) -> ImportResult:
    return record_import(
        result, by, action="areas.communities_imported", command="import_communities"
    )


def template_workbook(streets: Sequence[Jurisdiction]) -> bytes:
    """The import template: the headers, one marked example row, a drop-down of the streets and
    the instructions."""
    first = streets[0] if streets else None
    return import_templates.template_workbook(
        title="社区村",
        columns=COLUMNS,
        example={
            "code": first.code[:9] + "001" if first else "210212001001",
            "name": example_value("示例社区居委会"),
            "street": first.name if first else "登峰街道",
        },
        choices={"street": [street.name for street in streets]},
        notes=[
            _(
                "The file is imported only when every row is valid: if any row has an error, "
                "nothing is imported and every error is listed."
            )
        ],
        width=24,
    )
