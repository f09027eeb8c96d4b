"""Every claim page has its review log: the facts checked, the stored copy for each, what stays open."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLAIM_IDS = sorted(p.stem for p in (REPO / "docs" / "claims").glob("*.md"))
ROW = re.compile(r"^\|(?P<cells>.+)\|\s*$")
SEPARATOR = re.compile(r"^\|[\s:|-]+\|\s*$")


def _rows(text: str) -> list[list[str]]:
    """The data rows of every Markdown table in *text* (header and separator rows left out)."""
    rows, lines = [], text.splitlines()
    for index, line in enumerate(lines):
        match = ROW.match(line)
        if not match or SEPARATOR.match(line):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if SEPARATOR.match(following):
            continue  # a header row
        rows.append([cell.strip() for cell in match.group("cells").split("|")])
    return rows


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_review_log_names_the_checked_facts_and_their_copies(claim_id: str) -> None:
    log = REPO / "sources" / "research" / f"review-{claim_id}.md"
    assert log.is_file(), f"{log.relative_to(REPO)} is missing"
    text = log.read_text(encoding="utf-8")
    assert claim_id in text.splitlines()[0], "the log's title names its page"
    rows = _rows(text)
    assert len(rows) >= 10, f"only {len(rows)} checked facts"
    # Each fact names the copy that confirms it (a URL, a site, a source key or a seed paragraph),
    # and a verdict: confirmed, corrected, unconfirmed.
    for row in rows:
        assert len(row) >= 3 and row[0] and row[1], row
    verdicts = " ".join(" ".join(row[2:]) for row in rows).lower()
    assert "confirm" in verdicts or "correct" in verdicts
    assert re.search(r"unconfirmed|not confirmed|not seen|not reached|open", text, re.I)
