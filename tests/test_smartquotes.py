"""claimref's smart quotes give what Sphinx's give: the same text for any block, the same pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build_html, html_pages
from docutils.utils.smartquotes import educate_tokens
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.transforms import SphinxSmartQuotes

from claimref.smartquotes import SelectiveSmartQuotes, educate_block

# Text with everything the educator acts on, and the characters that look like it but are not.
PIECES = [*"ab1 .,-\u2014'\"`\\&#;:!?()\x00\n", "...", "--", "---", "'s", ". . .", "&#39;", "&quot;", "NATO "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)
TOKENS = st.lists(st.tuples(st.sampled_from(["plain", "plain", "literal", "tag"]), TEXT), max_size=6)


@pytest.mark.parametrize("attr", ["qDe", "1", "2", "3", "qbBde", "qDew", "q", "e"])
@pytest.mark.parametrize("language", ["en", "ru", "de", "fr", "en-x-altquot"])
@given(tokens=TOKENS)
@settings(max_examples=150, deadline=None)
def test_a_block_is_educated_as_docutils_educates_it(tokens: list[tuple[str, str]], attr: str, language: str) -> None:
    assert educate_block(tokens, attr, language) == list(educate_tokens(tokens, attr, language))


def test_text_it_passes_over_is_text_docutils_leaves_alone() -> None:
    """The shortcut is taken for the common case, and it is right there."""
    tokens = [("plain", "NATO was not founded against anyone"), ("literal", "x"), ("plain", " in 1949, ")]
    assert educate_block(tokens, "qDe", "en") == [text for _kind, text in tokens]
    assert educate_block([("plain", 'the "open door"')], "qDe", "en") == ["the \u201copen door\u201d"]


PAGE = """# Quotes

The "open door" isn't a promise -- it's a policy... Russia's view --- and NATO's.

A *"quoted" emphasis*, `literal "quotes"`, and **'single' quotes** after "{fn}`treaty{Art. 10}`".

Dots. . . and 'em -- the '90s, &quot;entities&quot; and &#39;codes&#39;.

```{container} language-ru

В «кавычках» и "прямых" кавычках -- тире.
```

- "List item" with 'quotes'
- term: a 'definition'

```text
code "stays" as 'typed' -- always...
```
"""


def _build(make_app, srcdir: Path, outdir: Path) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    def replaced(app) -> None:  # type: ignore[no-untyped-def]
        assert SelectiveSmartQuotes in app.registry.transforms
        assert SphinxSmartQuotes not in app.registry.transforms

    return html_pages(build_html(make_app, srcdir, outdir, check_app=replaced))


def test_pages_are_built_as_with_sphinxs_own_smart_quotes(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    (srcdir / "pages" / "quotes.md").write_text(PAGE, encoding="utf-8")
    ours = _build(make_app, srcdir, tmp_path / "ours")
    page = ours["pages/quotes.html"].decode()
    assert "The \u201copen door\u201d isn\u2019t a promise \u2013 it\u2019s a policy\u2026" in page
    assert "\u00abпрямых\u00bb кавычках \u2013 тире" in page  # the block's own language
    assert "code \"stays\" as 'typed' -- always..." in page
    monkeypatch.setattr(SelectiveSmartQuotes, "apply", SphinxSmartQuotes.apply)
    stock = _build(make_app, srcdir, tmp_path / "stock")
    assert ours.keys() == stock.keys()
    assert [name for name in ours if ours[name] != stock[name]] == []
