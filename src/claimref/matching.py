"""The quotation matching rules, written once and used by the build and the checker.

The rules (the Method page states them in prose):

* Unicode NFC; typographic and straight quotation marks, apostrophes and dashes
  are equivalent; runs of whitespace are one space; soft hyphens and line-end
  hyphenation are removed.
* An ellipsis (``…`` or ``...``) splits a quotation into fragments that must
  occur in order within the same passage.
* Square brackets mark an editorial insertion or change: ``[sic]`` matches
  nothing; any other ``[text]`` stands for at most six words of the source (or none).
* Matching is case-sensitive except for the first letter of each fragment.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from typing import NamedTuple

_EQUIVALENT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_SOFT_HYPHEN = "\u00ad"
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_])")
_WHITESPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\s?\.\s?\.)\s*")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_EDITORIAL_WORDS = 6


def normalize(text: str) -> str:
    """Apply the equivalences: NFC, quote/dash folding, hyphenation, whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace(_SOFT_HYPHEN, "")
    text = _LINE_END_HYPHEN.sub("", text)
    text = text.translate(_EQUIVALENT)
    return _WHITESPACE.sub(" ", text).strip()


class MatchResult(NamedTuple):
    ok: bool
    reason: str
    nearest: str  # the passage text nearest the failing fragment ("" when ok)
    diff: str  # word-level diff of fragment against nearest ("" when ok)


_GAP = "\x00"  # stands for an editorial bracket that spans whole words
_GAP_WORDS = rf"[^ ]+(?: [^ ]+){{0,{_EDITORIAL_WORDS - 1}}}"


def _fragment_pattern(fragment: str) -> str:
    """Regex for one ellipsis-free fragment: brackets become bounded gaps, first letter caseless."""
    pieces: list[str] = []
    pos = 0
    for match in _BRACKET.finditer(fragment):
        pieces.append(fragment[pos : match.start()])
        before = fragment[match.start() - 1] if match.start() else " "
        after = fragment[match.end()] if match.end() < len(fragment) else " "
        if match.group(1).strip().lower() == "sic":
            pieces.append("")
        elif before == " " and after == " ":
            pieces.append(_GAP)
        else:
            # a change inside a word, e.g. "[t]he": any letters within that word
            pieces.append("\x01")
        pos = match.end()
    pieces.append(fragment[pos:])
    words = _WHITESPACE.sub(" ", "".join(pieces)).strip().split(" ")
    pattern = ""
    leading_gap = False
    for index, word in enumerate(words):
        if word == _GAP:
            if index == 0:
                pattern += f"(?:{_GAP_WORDS} )?"
                leading_gap = True
            else:
                pattern += f"(?: {_GAP_WORDS})?"
            continue
        separator = "" if index == 0 or (index == 1 and leading_gap) else " "
        pattern += separator + "[^ ]*".join(re.escape(part) for part in word.split("\x01"))
    # A fragment starts and ends on word boundaries: "ny other" does not match "any other".
    return r"(?<!\w)" + _caseless_first_letter(pattern) + r"(?!\w)"


@functools.lru_cache(maxsize=8192)
def fragment_regex(fragment: str) -> re.Pattern[str]:
    """The compiled :func:`_fragment_pattern` of *fragment*, remembered: a verified quotation is
    matched twice (its verdict, then its link to the words in the source), and ``re``'s own cache
    of 512 patterns is outgrown by a page's quotations and the rest of the build's patterns."""
    return re.compile(_fragment_pattern(fragment))


def _caseless_first_letter(pattern: str) -> str:
    for index, char in enumerate(pattern):
        if char.isalpha() and (index == 0 or pattern[index - 1] != "\\"):
            return f"{pattern[:index]}[{char.upper()}{char.lower()}]{pattern[index + 1 :]}"
    return pattern


def split_fragments(quotation: str) -> list[str]:
    """The quotation's fragments between ellipses, normalized, empty ones dropped."""
    return [f.strip() for f in _ELLIPSIS.split(normalize(quotation)) if f.strip(" .")]


@functools.lru_cache(maxsize=4096)
def normalized_passage(passage: str) -> str:
    """:func:`normalize` of a passage, remembered: a passage is quoted by many pages, and each
    quotation is matched twice (its verdict, and its link to the words in the source)."""
    return normalize(passage)


def match_quotation(quotation: str, passage: str) -> MatchResult:
    """Does *quotation* occur in *passage* under the rules above?"""
    source = normalized_passage(passage)
    fragments = split_fragments(quotation)
    if not fragments:
        return MatchResult(False, "the quotation is empty", "", "")
    pos = 0
    for index, fragment in enumerate(fragments):
        found = fragment_regex(fragment).search(source, pos)
        if found is None:
            nearest = nearest_text(fragment, source)
            if len(fragments) > 1 and fragment_regex(fragment).search(source):
                reason = f"fragment {index + 1} of {len(fragments)} occurs only before the previous one"
            else:
                reason = (
                    "not found in the passage"
                    if len(fragments) == 1
                    else (f"fragment {index + 1} of {len(fragments)} not found in the passage")
                )
            return MatchResult(False, reason, nearest, word_diff(fragment, nearest))
        pos = found.end()
    return MatchResult(True, "", "", "")


def nearest_text(fragment: str, source: str) -> str:
    """The run of source words most like *fragment*: most words in common, then the length nearest
    the fragment's, so that a changed word shows in the diff as the source word it replaced."""
    words = source.split(" ")
    want = fragment.split(" ")
    size = min(len(want), len(words))
    best, best_score = "", (-1, 0, 0)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(want)
    for start in range(0, max(1, len(words) - size + 1)):
        for width in (size, size - 1, size + 1):
            if width <= 0:
                continue
            window = words[start : start + width]
            matcher.set_seq1(window)
            blocks = matcher.get_matching_blocks()
            # Ties: the window whose common words stand where the fragment has them.
            shift = abs(blocks[0].a - blocks[0].b) if blocks[0].size else len(want)
            score = (sum(block.size for block in blocks), -abs(width - len(want)), -shift)
            if score > best_score:
                best, best_score = " ".join(window), score
    return best


def word_diff(quoted: str, source: str) -> str:
    """Word-level diff: ``[-source word-]`` was dropped or changed, ``{+quoted word+}`` was added."""
    a, b = source.split(" "), quoted.split(" ")
    out: list[str] = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[a0:a1])
            continue
        if a1 > a0:
            out.append("[-" + " ".join(a[a0:a1]) + "-]")
        if b1 > b0:
            out.append("{+" + " ".join(b[b0:b1]) + "+}")
    return " ".join(out)
