"""Code blocks get the highlight language Sphinx's own transform gives them, with or without ``highlight``,
and their doctest flags trimmed as Sphinx's own transform trims them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build_html, html_pages
from sphinx.transforms.post_transforms.code import HighlightLanguageTransform, TrimDoctestFlagsTransform

from claimref.highlighting import DefaultHighlightLanguage, ListedTrimDoctestFlags

PLAIN = """# Plain

```
print("no language: the default")
```

```json
{"a": 1}
```

```{code-block} python
:linenos:

x = 1
```

```pycon
>>> print("flags")  # doctest: +ELLIPSIS
flags
```

```{eval-rst}
>>> 1 + 1  # doctest: +SKIP
2
```
"""

WITH_HIGHLIGHT = """# Highlight

```{highlight} json
```

```
{"from": "the highlight directive"}
```

```{highlight} text
:linenothreshold: 2
```

```
one
two
three
```
"""


def _build(make_app, srcdir: Path, outdir: Path) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    def replaced(app) -> None:  # type: ignore[no-untyped-def]
        assert DefaultHighlightLanguage in app.registry.post_transforms
        assert HighlightLanguageTransform not in app.registry.post_transforms

    overrides = {"highlight_language": "python"}
    return html_pages(build_html(make_app, srcdir, outdir, check_app=replaced, confoverrides=overrides))


def test_code_blocks_are_highlighted_as_by_sphinxs_own_transform(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    (srcdir / "pages" / "plain.md").write_text(PLAIN, encoding="utf-8")
    (srcdir / "pages" / "highlight.md").write_text(WITH_HIGHLIGHT, encoding="utf-8")
    walked: list[str] = []
    apply = HighlightLanguageTransform.apply

    def visitor_walk(self: HighlightLanguageTransform, **kwargs: object) -> None:
        walked.append(self.env.docname)
        apply(self, **kwargs)

    monkeypatch.setattr(HighlightLanguageTransform, "apply", visitor_walk)
    ours = _build(make_app, srcdir, tmp_path / "ours")
    assert walked == ["pages/highlight"]  # Sphinx's visitor only where a highlight directive is
    plain, highlight = ours["pages/plain.html"].decode(), ours["pages/highlight.html"].decode()
    assert 'class="highlight-python' in plain and 'class="highlight-json' in plain and "linenos" in plain
    assert "+ELLIPSIS" not in plain and "+SKIP" not in plain  # trimmed, from the census's code blocks
    assert 'class="highlight-json' in highlight and "linenos" in highlight

    monkeypatch.setattr(DefaultHighlightLanguage, "apply", visitor_walk)  # Sphinx's transform on every page
    monkeypatch.setattr(ListedTrimDoctestFlags, "apply", TrimDoctestFlagsTransform.apply)  # and its two walks
    stock = _build(make_app, srcdir, tmp_path / "stock")
    assert ours.keys() == stock.keys()
    assert [name for name in ours if ours[name] != stock[name]] == []
