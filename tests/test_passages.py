"""Source-passage files: every malformation names the file and line; the seed passages are the seeds' own text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimref.passages import SourceFileError, load_source_file, load_sources
from claimref.seeds import seed_paragraphs

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"

GOOD = """key: k
provenance:
  url: https://example.org/k
  obtained: 2026-11-23
  method: transcribed
passages:
  - locator: Art. 1
    text: Some words.
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD.replace("key: k", "key: other"), 1, "differs from the file name"),
        (GOOD.replace("  method: transcribed", "  method: guessed"), 5, "provenance.method must be one of"),
        (GOOD.replace("  obtained: 2026-11-23", "  obtained: yesterday"), 4, "must be an ISO date"),
        (GOOD.replace("  url: https://example.org/k", "  url: example.org"), 3, "not an http(s) URL"),
        (GOOD.replace("  method: transcribed", "  method: fetched"), 3, "needs the sha256"),
        (GOOD.replace("    text: Some words.", ""), 7, "has no text"),
        (GOOD + "  - locator: Art. 1\n    text: Again.\n", 9, "repeats the passage at line 7"),
        (GOOD.replace("passages:", "passages: [\n"), 8, "not valid YAML"),
        (GOOD + "extra: 1\n", 9, "unknown field 'extra'"),
        ("", 1, "the file is empty"),
    ],
)
def test_malformed_source_files(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(text)
    with pytest.raises(SourceFileError) as info:
        load_source_file(path)
    assert str(info.value).startswith(f"{path}:{line}: "), str(info.value)
    assert message in str(info.value)


def test_the_repository_sources_load_and_record_provenance() -> None:
    sources = load_sources(REPO / "sources")
    assert len(sources) >= 10
    for source in sources.values():
        assert source.provenance.obtained
        assert source.provenance.url or source.provenance.copy
        if source.provenance.method != "supplied":
            assert source.provenance.note, f"{source.path}: say how the text was confirmed"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the project")
def test_seed_passages_are_the_seeds_own_paragraphs() -> None:
    checked = 0
    for source in load_sources(REPO / "sources").values():
        if source.provenance.method != "supplied":
            continue
        seed_file = SEEDS / Path(source.provenance.copy).name
        paragraphs = seed_paragraphs(seed_file.read_text(encoding="utf-8"))
        for passage in source.passages:
            numbers = [int(n) for n in re.findall(r"\d+", passage.locator)]
            first, last = numbers[0], numbers[-1]
            assert passage.text == " ".join(paragraphs[first - 1 : last]), (source.key, passage.locator)
            checked += 1
    assert checked >= 20
