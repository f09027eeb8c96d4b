"""No run of twelve or more words shared with a seed document, except inside verified quotation markup
(the quote role, the quotation directive, and a statement's words and original, which are verified too)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO.parent / "shared" / "tools" / "seedcopy.py"
QUOTE_ROLE = re.compile(r"\{quote\}`[^`]*`", re.S)
QUOTATION_BLOCK = re.compile(r"^(`{3,}|:{3,})\{quotation\}[^\n]*\n.*?^\1\s*$", re.S | re.M)
STATEMENT_WORDS = re.compile(r"^:(?:words|original):[^\n]*$", re.M)
CODE_SPAN = re.compile(r"``?[^`\n]+``?")  # the contributing page shows examples of the markup


def _without_quotations(text: str) -> str:
    text = QUOTATION_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = QUOTE_ROLE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return STATEMENT_WORDS.sub("", text)


@pytest.mark.skipif(not TOOL.is_file(), reason="shared/tools/seedcopy.py is not beside the project")
def test_no_copied_runs_outside_quotations(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("seedcopy", TOOL)
    assert spec and spec.loader
    seedcopy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seedcopy)
    grams = seedcopy.seed_ngrams(12)
    offending = []
    for page in sorted((REPO / "docs").rglob("*.md")):
        if "_build" in page.parts:
            continue
        text = _without_quotations(page.read_text(encoding="utf-8"))
        if page.name == "contributing.md":
            text = CODE_SPAN.sub(" ", text)
        stripped = tmp_path / page.name
        stripped.write_text(text, encoding="utf-8")
        for line, length, opening in seedcopy.shared_runs(stripped, grams, 12):
            offending.append(f"{page.relative_to(REPO)}:{line}: {length} words: {opening}")
    assert offending == [], "\n".join(offending)
