#!/usr/bin/env python3
"""Check that the Simplified Chinese catalogue is complete and compiled.

Chinese is the portal's default language, so an untranslated or fuzzy entry shows English to
users, and a stale ``django.mo`` shows old text even when ``django.po`` is right. This script
fails (exit status 1) when ``locale/zh_Hans/LC_MESSAGES/django.po``:

- has an entry whose ``msgstr`` (or any ``msgstr[N]``) is empty, or that is marked ``fuzzy``;
- has no ``django.mo`` next to it, or its ``django.mo`` is older than it, or the ``django.mo``
  does not hold the translations the ``django.po`` has.

Standard library only, so it runs before the virtualenv exists (CI, pre-commit).

Usage: ``python scripts/check_translations.py [path/to/django.po]``
"""

from __future__ import annotations

import argparse
import gettext
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# A fresh git checkout writes django.mo and django.po a few milliseconds apart in either order,
# so a .mo older than its .po by less than this is not taken for stale.
MTIME_TOLERANCE_SECONDS = 2.0

FIX_HINT = "run `make messages` (needs gettext) and commit both django.po and django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPES |= {"f": "\f", "v": "\v"}


class PoSyntaxError(ValueError):
    """The .po file is not in a form this checker understands."""


@dataclass
class Entry:
    """One message of a .po file."""

    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_untranslated(self) -> bool:
        return not self.msgstr or any(not text for text in self.msgstr.values())

    def describe(self) -> str:
        text = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        label = repr(text)
        if self.msgctxt is not None:
            label = f"[{self.msgctxt}] {label}"
        if self.msgid_plural is not None:
            label += " (plural)"
        return label


def unquote(literal: str, path: Path, line: int) -> str:
    """Decode one C-style quoted string as gettext writes it."""
    literal = literal.strip()
    if len(literal) < 2 or not (literal.startswith('"') and literal.endswith('"')):
        raise PoSyntaxError(f"{path}:{line}: expected a quoted string, got {literal!r}")
    body = literal[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        if i + 1 >= len(body):
            raise PoSyntaxError(f"{path}:{line}: string ends in a lone backslash")
        nxt = body[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "01234567":
            end = i + 1
            while end < len(body) and end < i + 4 and body[end] in "01234567":
                end += 1
            out.append(chr(int(body[i + 1 : end], 8)))
            i = end
        else:
            raise PoSyntaxError(f"{path}:{line}: unknown escape \\{nxt}")
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Parse a .po file into its entries (the header entry included)."""
    parser = _PoParser(path)
    with path.open(encoding="utf-8") as handle:
        for lineno, raw in enumerate(handle, start=1):
            parser.feed(lineno, raw)
    return [entry for entry in parser.entries if not entry.obsolete]


class _PoParser:
    """What ``parse_po`` knows between one line and the next."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[Entry] = []
        self.current: Entry | None = None
        # Which string continuation lines ("...") append to: ("msgid"|"msgid_plural"|"msgctxt",
        # None) or ("msgstr", N).
        self.target: tuple[str, int | None] | None = None
        self.pending_flags: set[str] = set()

    def feed(self, lineno: int, raw: str) -> None:
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("|"):
                return
        if not line:
            self.target = None
        elif line.startswith("#,"):
            self.pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            pass  # translator and extracted comments, references, previous msgids
        elif line.startswith('"'):
            if self.current is None or self.target is None:
                raise PoSyntaxError(f"{self.path}:{lineno}: string outside an entry")
            self._append(self.current, self.target, self._unquote(line, lineno))
        else:
            self._keyword(lineno, line, raw, obsolete)

    def _keyword(self, lineno: int, line: str, raw: str, obsolete: bool) -> None:
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt":
            entry = self._start(lineno, obsolete)
            entry.msgctxt = self._unquote(rest, lineno)
            self.target = ("msgctxt", None)
        elif keyword == "msgid":
            # A msgid opens a new entry unless it follows that entry's msgctxt.
            current = self.current
            if current is None or current.msgstr or self.target != ("msgctxt", None):
                entry = self._start(lineno, obsolete)
            else:
                entry = current
            entry.msgid = self._unquote(rest, lineno)
            self.target = ("msgid", None)
        elif keyword == "msgid_plural":
            if self.current is None:
                raise PoSyntaxError(f"{self.path}:{lineno}: msgid_plural without msgid")
            self.current.msgid_plural = self._unquote(rest, lineno)
            self.target = ("msgid_plural", None)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            if self.current is None:
                raise PoSyntaxError(f"{self.path}:{lineno}: msgstr without msgid")
            index = self._msgstr_index(keyword, lineno)
            self.current.msgstr[index] = self._unquote(rest, lineno)
            self.target = ("msgstr", index)
        else:
            raise PoSyntaxError(f"{self.path}:{lineno}: unexpected line {raw.rstrip()!r}")

    def _msgstr_index(self, keyword: str, lineno: int) -> int:
        """0 for ``msgstr``, N for ``msgstr[N]``."""
        if keyword == "msgstr":
            return 0
        number = keyword[len("msgstr[") :].rstrip("]")
        if not keyword.endswith("]") or not number.isdigit():
            raise PoSyntaxError(f"{self.path}:{lineno}: bad keyword {keyword!r}")
        return int(number)

    def _start(self, lineno: int, obsolete: bool) -> Entry:
        entry = Entry(line=lineno, flags=self.pending_flags, obsolete=obsolete)
        self.pending_flags = set()
        self.entries.append(entry)
        self.current = entry
        return entry

    def _unquote(self, literal: str, lineno: int) -> str:
        return unquote(literal, self.path, lineno)

    @staticmethod
    def _append(entry: Entry, where: tuple[str, int | None], text: str) -> None:
        name, index = where
        if name == "msgid":
            entry.msgid += text
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        elif name == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        else:
            key = index or 0
            entry.msgstr[key] = entry.msgstr.get(key, "") + text


def check_entries(entries: list[Entry]) -> list[str]:
    """Problems with the entries themselves: untranslated or fuzzy."""
    problems: list[str] = []
    for entry in entries:
        if entry.is_header:
            if entry.is_fuzzy:
                problems.append(
                    f"line {entry.line}: the header entry is fuzzy (msgfmt would drop it, "
                    "and with it the charset and plural forms)"
                )
            continue
        reasons = []
        if entry.is_untranslated:
            reasons.append("untranslated")
        if entry.is_fuzzy:
            reasons.append("fuzzy")
        if reasons:
            problems.append(f"line {entry.line}: {' and '.join(reasons)}: {entry.describe()}")
    return problems


def _display(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _mo_keys(entry: Entry) -> list[tuple[str | tuple[str, int], str]]:
    msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    if entry.msgid_plural is None:
        return [(msgid, entry.msgstr.get(0, ""))]
    return [((msgid, index), text) for index, text in sorted(entry.msgstr.items())]


def check_mo(po_path: Path, entries: list[Entry]) -> list[str]:
    """Problems with the compiled catalogue: missing, older than the .po, or different."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{_display(mo_path)} is missing"]
    problems: list[str] = []
    age = po_path.stat().st_mtime - mo_path.stat().st_mtime
    if age > MTIME_TOLERANCE_SECONDS:
        problems.append(f"{mo_path.name} is older than {po_path.name} (by {age:.0f} s)")
    try:
        with mo_path.open("rb") as handle:
            translations = gettext.GNUTranslations(handle)
        catalog: dict[object, str] = translations._catalog  # type: ignore[attr-defined]
    except (OSError, ValueError) as exc:  # gettext raises OSError/ValueError for a corrupt file
        return [*problems, f"{mo_path.name} cannot be read: {exc}"]
    stale = 0
    for entry in entries:
        if entry.is_header or entry.is_fuzzy or entry.is_untranslated:
            continue
        for key, text in _mo_keys(entry):
            if catalog.get(key) != text:
                stale += 1
                break
    if stale:
        problems.append(f"{mo_path.name} differs from {po_path.name} in {stale} entries")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("po", nargs="?", type=Path, default=DEFAULT_PO, help="the .po file")
    args = parser.parse_args(argv)
    po_path: Path = args.po.resolve()

    if not po_path.exists():
        print(f"translations: {po_path} does not exist; {FIX_HINT}", file=sys.stderr)
        return 1
    try:
        entries = parse_po(po_path)
    except (PoSyntaxError, UnicodeDecodeError) as exc:
        print(f"translations: cannot parse {po_path}: {exc}", file=sys.stderr)
        return 1

    messages = [entry for entry in entries if not entry.is_header]
    entry_problems = check_entries(entries)
    mo_problems = check_mo(po_path, entries)

    if entry_problems:
        print(
            f"translations: {len(entry_problems)} of {len(messages)} entries in {po_path.name} "
            "need work (fill the msgstr, remove the fuzzy flag once checked):",
            file=sys.stderr,
        )
        for problem in entry_problems:
            print(f"  {problem}", file=sys.stderr)
    if mo_problems:
        print("translations: the compiled catalogue is out of date:", file=sys.stderr)
        for problem in mo_problems:
            print(f"  {problem}", file=sys.stderr)
        print(f"  -> {FIX_HINT}", file=sys.stderr)
    if entry_problems or mo_problems:
        return 1

    print(f"translations: {len(messages)} entries, all translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
