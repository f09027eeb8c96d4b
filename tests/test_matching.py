"""The matching rules: unit cases, mutants of the reference's real quotations, and properties."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from claimref.matching import match_quotation, normalize, split_fragments
from claimref.passages import load_sources

REPO = Path(__file__).resolve().parent.parent
ART10 = (
    "The Parties may, by unanimous agreement, invite any other European State in a position to further the "
    "principles of this Treaty and to contribute to the security of the North Atlantic area to accede to this Treaty."
)


@pytest.mark.parametrize(
    "quote",
    [
        "any other European State in a position to further the principles of this Treaty",
        "Any other European State",  # first letter is caseless
        "invite any other European State \u2026 to accede to this Treaty",
        "invite any other European State ... to accede to this Treaty",
        "[NATO] may, by unanimous agreement, invite",
        "The Parties [sic] may",
        "[t]he Parties may",
        "by  unanimous\nagreement",  # whitespace runs
        "North Atlantic area to ac\u00adcede",  # soft hyphen
        "North Atlantic area to ac-\ncede",  # line-end hyphenation
    ],
)
def test_accepted(quote: str) -> None:
    assert match_quotation(quote, ART10).ok


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        ("any other European state", "not found"),  # case inside
        ("by agreement, invite", "not found"),  # dropped word
        ("by unanimous common agreement", "not found"),  # inserted word
        ("agreement unanimous", "not found"),  # swapped
        ("to accede to this Treaty \u2026 invite any other", "only before the previous one"),  # order
        ("ny other European", "not found"),  # word boundary
    ],
)
def test_rejected(quote: str, reason: str) -> None:
    result = match_quotation(quote, ART10)
    assert not result.ok and reason in result.reason


def test_quote_and_dash_equivalence() -> None:
    passage = "Russia\u2019s \u201copen door\u201d \u2013 policy"
    assert match_quotation('Russia\'s "open door" - policy', passage).ok


def test_failure_shows_nearest_text_and_word_diff() -> None:
    result = match_quotation("invite any European State in a position", ART10)
    assert result.nearest.startswith("invite any other European State")
    assert "[-other-]" in result.diff


# -- mutation tests on the reference's own quotations ------------------------------------


def _real_quotations() -> list[tuple[str, str]]:
    """(quotation, passage) pairs of every quotation used in docs/ (read from the claim pages' markup)."""
    import re

    sources = load_sources(REPO / "sources")
    pairs = []
    for page in sorted((REPO / "docs" / "claims").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"\{quote\}`(.+?)\s*<([a-z0-9-]+)\{([^}]+)\}>`", text, re.S):
            quote, key, locator = " ".join(match.group(1).split()), match.group(2), match.group(3)
            passage = sources[key].passage(locator)
            assert passage is not None, (page, key, locator)
            pairs.append((quote, passage.text))
    assert len(pairs) >= 10
    return pairs


REAL = _real_quotations()


def _mutants(quote: str, passage: str, rng: random.Random) -> list[tuple[str, str]]:
    words = quote.split(" ")
    out = []
    i = rng.randrange(len(words))
    out.append(("changed word", " ".join([*words[:i], words[i] + "x", *words[i + 1 :]])))
    j = rng.randrange(len(words))
    out.append(("inserted word", " ".join([*words[:j], "certainly", *words[j:]])))
    if len(words) > 2:
        k = rng.randrange(1, len(words) - 1)  # not the first word: its first letter is caseless
        if words[k] != words[k + 1]:
            out.append(("swapped words", " ".join([*words[:k], words[k + 1], words[k], *words[k + 2 :]])))
        out.append(("dropped word", " ".join(words[:k] + words[k + 1 :])))
    if " not " in f" {quote} ":
        out.append(("dropped not", " ".join(w for w in words if w != "not")))
    return out


@pytest.mark.parametrize(("quote", "passage"), REAL, ids=[q[:40] for q, _ in REAL])
def test_every_real_quotation_passes_and_every_mutant_fails(quote: str, passage: str) -> None:
    assert match_quotation(quote, passage).ok
    rng = random.Random(quote)
    for name, mutant in _mutants(quote, passage, rng):
        source = normalize(passage).lower()
        if all(fragment.lower() in source for fragment in split_fragments(mutant)):
            continue  # the mutation recreates other words of the passage (or only widens an ellipsis)
        assert not match_quotation(mutant, passage).ok, (name, mutant)


def test_an_ellipsis_cannot_bridge_two_passages() -> None:
    sources = load_sources(REPO / "sources")
    art5 = sources["north-atlantic-treaty"].passage("Art. 5")
    art10 = sources["north-atlantic-treaty"].passage("Art. 10")
    assert art5 and art10
    bridge = "The Parties agree that an armed attack \u2026 invite any other European State"
    assert not match_quotation(bridge, art5.text).ok
    assert not match_quotation(bridge, art10.text).ok


def test_not_dropped_from_a_real_passage_fails() -> None:
    passage = "Foreign armed forces and nuclear weapons or their carriers will not be stationed in that part of Germany"
    assert not match_quotation("their carriers will be stationed in that part of Germany", passage).ok


# -- properties ------------------------------------------------------------------------------


@given(st.text())
@settings(max_examples=300)
def test_normalize_is_idempotent_and_never_crashes(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(), st.text())
@settings(max_examples=300)
def test_matching_never_crashes(quote: str, passage: str) -> None:
    match_quotation(quote, passage)


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
@settings(max_examples=200)
def test_a_passage_always_contains_itself(passage: str) -> None:
    if normalize(passage) and any(c.isalnum() for c in passage):
        assert match_quotation(passage, passage).ok or "[" in passage or "\u2026" in passage or "..." in passage


def test_yaml_folding_keeps_passages_equal() -> None:
    text = yaml.safe_load("t: >-\n  a b\n  c\n")["t"]
    assert normalize(text) == "a b c"
