"""A plain field is given as it is, and what it gives is what pybtex's LaTeX decoding gives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_file
from pybtex.richtext import Text

from claimref.bibliography import _LATEX_ACTIVE, text_from_latex

REPO = Path(__file__).resolve().parent.parent


def test_every_field_of_the_bibliography_decodes_as_pybtex_decodes_it() -> None:
    entries = parse_file(str(REPO / "references.bib")).entries.values()
    fields = [value for entry in entries for value in entry.fields.values()]
    plain = [value for value in fields if _LATEX_ACTIVE.search(value) is None]
    assert len(plain) > 500 and len(plain) < len(fields)  # the shortcut is taken, and not for all
    assert [value for value in fields if text_from_latex(value) != Text.from_latex(value)] == []


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=40))
# Spaces pybtex collapses or strips (Hypothesis found the first).
@example(" ")
@example(" leading")
@example("doubled  space")
@example("trailing ")
@settings(max_examples=500, deadline=None)
def test_any_text_decodes_as_pybtex_decodes_it(field: str) -> None:
    try:
        expected = Text.from_latex(field)
    except Exception:  # pybtex rejects unbalanced braces; bibcheck reports those before any note
        return
    assert text_from_latex(field) == expected
