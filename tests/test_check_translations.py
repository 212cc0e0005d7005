"""The .po reader of scripts/check_translations.py, which `make lint` relies on."""

from pathlib import Path

import pytest

from scripts.check_translations import Entry, PoSyntaxError, parse_po

CATALOGUE = r"""# Translator comment.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: units/views.py:10
msgid "Unit"
msgstr "单位"

#, fuzzy, python-format
msgid "Hello %(name)s"
msgstr "你好 %(name)s"

msgctxt "month"
msgid "May"
msgstr "五月"

msgid "one complaint"
msgid_plural "%(count)d complaints"
msgstr[0] "%(count)d 件投诉"

msgid ""
"A long "
"message\t"
msgstr ""
"一条"
"长消息\101"

msgid "Untranslated"
msgstr ""

#~ msgid "Gone"
#~ msgstr "已删除"
"""


def _parse(tmp_path: Path, text: str) -> list[Entry]:
    path = tmp_path / "django.po"
    path.write_text(text, encoding="utf-8")
    return parse_po(path)


def test_it_reads_the_header_entry_first(tmp_path: Path) -> None:
    header = _parse(tmp_path, CATALOGUE)[0]
    assert header.is_header
    assert header.line == 2
    assert "charset=UTF-8\n" in header.msgstr[0]


def test_it_reads_a_plain_entry(tmp_path: Path) -> None:
    entry = _parse(tmp_path, CATALOGUE)[1]
    assert entry.msgid == "Unit"
    assert entry.msgstr == {0: "单位"}
    assert entry.flags == set()
    assert entry.line == 8


def test_it_gives_flags_to_the_next_entry(tmp_path: Path) -> None:
    entry = _parse(tmp_path, CATALOGUE)[2]
    assert entry.msgid == "Hello %(name)s"
    assert entry.flags == {"fuzzy", "python-format"}
    assert entry.is_fuzzy


def test_it_reads_a_context_and_its_msgid_as_one_entry(tmp_path: Path) -> None:
    entry = _parse(tmp_path, CATALOGUE)[3]
    assert entry.msgctxt == "month"
    assert entry.msgid == "May"
    assert entry.msgstr == {0: "五月"}
    assert entry.line == 15


def test_it_reads_plural_forms(tmp_path: Path) -> None:
    entry = _parse(tmp_path, CATALOGUE)[4]
    assert entry.msgid == "one complaint"
    assert entry.msgid_plural == "%(count)d complaints"
    assert entry.msgstr == {0: "%(count)d 件投诉"}


def test_it_joins_continuation_lines_and_decodes_escapes(tmp_path: Path) -> None:
    entry = _parse(tmp_path, CATALOGUE)[5]
    assert entry.msgid == "A long message\t"
    assert entry.msgstr == {0: "一条长消息A"}


def test_it_marks_an_empty_msgstr_untranslated(tmp_path: Path) -> None:
    entry = _parse(tmp_path, CATALOGUE)[6]
    assert entry.msgid == "Untranslated"
    assert entry.is_untranslated


def test_it_leaves_out_obsolete_entries(tmp_path: Path) -> None:
    entries = _parse(tmp_path, CATALOGUE)
    assert [entry.msgid for entry in entries][-1] == "Untranslated"
    assert len(entries) == 7


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('"stray"\n', "string outside an entry"),
        ('msgid_plural "x"\n', "msgid_plural without msgid"),
        ('msgstr "x"\n', "msgstr without msgid"),
        ('msgid "x"\nmsgstr[a] "y"\n', "bad keyword 'msgstr[a]'"),
        ('msgid "x"\nmsgstr[0 "y"\n', "bad keyword 'msgstr[0'"),
        ('msgid "x"\nmsgfoo "y"\n', "unexpected line"),
        ("msgid x\n", "expected a quoted string"),
        ('msgid "\\q"\n', "unknown escape"),
    ],
)
def test_it_refuses_what_it_does_not_understand(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(PoSyntaxError, match=r"django\.po:\d+: ") as raised:
        _parse(tmp_path, text)
    assert reason in str(raised.value)
