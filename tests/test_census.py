"""The post-transforms guarded by a page's census skip only pages that have nothing for them, and
the pages are the ones the unguarded transforms write, in HTML and in LaTeX."""

from __future__ import annotations

import shutil
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import build_html, html_pages, warnings_of
from docutils import nodes

from claimref import census

# Every kind of node the guarded transforms act on, and a tab set and code block that an
# ``only`` for another builder takes out of the page after the census is taken.
PAGE = """# Everything

| a | b |
|---|---|
| 1 | 2 |

```{math}
e^{i\\pi} + 1 = 0
```

![A picture](picture.svg)

```{eval-rst}
.. c:function:: int add(int a, int b)

.. c:alias:: add

.. cpp:function:: int times(int a, int b)

.. cpp:alias:: times

.. py:function:: spam(eggs)

>>> 1 + 1  # doctest: +SKIP
2
```

```pycon
>>> print("flags")  # doctest: +ELLIPSIS
flags
```

``````{only} latex
`````{tab-set}
````{tab-item} Print only
Text.
````
`````

```
print("in print only")
```
``````

`````{tab-set}
````{tab-item} One
```python
x = 1
```
````
````{tab-item} Two
Second.
````
`````
"""

PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def _source(rootdir: Path, tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    (srcdir / "pages" / "everything.md").write_text(PAGE, encoding="utf-8")
    (srcdir / "pages" / "picture.svg").write_text(PICTURE, encoding="utf-8")
    return srcdir


def _checked_skips(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Each time a guarded transform is skipped, a walk of the page must find nothing for it."""
    skips: list[tuple[str, str]] = []
    decide = census.skipped

    def checked(transform, wanted):  # type: ignore[no-untyped-def]
        skip = decide(transform, wanted)
        if skip:
            assert next(transform.document.findall(lambda node: isinstance(node, wanted)), None) is None
            skips.append((transform.env.docname, type(transform).__name__))
        return skip

    monkeypatch.setattr(census, "skipped", checked)
    return skips


def _stock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(census, "setup_census", lambda app: None)


def test_html_pages_are_the_unguarded_transforms_pages(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = _source(rootdir, tmp_path)
    skips = _checked_skips(monkeypatch)
    overrides = {"html_theme": "furo"}

    def all_guarded(app) -> None:  # type: ignore[no-untyped-def]
        names = {(t.__module__, t.__name__) for t in app.registry.get_post_transforms()}
        assert {("claimref.census", name.partition(":")[2]) for _, _, name, _ in census.GUARDED} <= names

    ours = html_pages(build_html(make_app, srcdir, tmp_path / "ours", check_app=all_guarded, confoverrides=overrides))
    page = ours["pages/everything.html"].decode()
    # The transforms did their work on the page that has their nodes ...
    assert 'class="table-wrapper' in page and 'class="math-wrapper' in page  # Furo's
    assert 'class="sig sig-object c' in page and 'class="sig sig-object cpp' in page  # PropagateDescDomain
    assert "+SKIP" not in page and "+ELLIPSIS" not in page  # the doctest flags trimmed
    assert "in print only" not in page and page.count('class="sd-tab-set') == 1
    assert 'id="sd-tab-item-0"' in page and 'id="sd-tab-item-1"' in page
    everything = {name for docname, name in skips if docname == "pages/everything"}
    assert everything == set()
    # ... and were skipped on the others, which have none.
    assert {name for _, name in skips} == {
        "AliasTransform",
        "ImageDownloader",
        "DataURIExtractor",
        "PropagateDescDomain",
        "WrapTableAndMathInAContainerTransform",
    }
    assert ("claims/first", "WrapTableAndMathInAContainerTransform") in skips

    _stock(monkeypatch)
    stock = html_pages(build_html(make_app, srcdir, tmp_path / "stock", confoverrides=overrides))
    assert ours.keys() == stock.keys()
    assert [name for name in ours if ours[name] != stock[name]] == []


def _latex(make_app, srcdir: Path, builddir: Path) -> str:  # type: ignore[no-untyped-def]
    app = make_app("latex", srcdir=srcdir, builddir=builddir, freshenv=True)
    app.build()
    assert warnings_of(app._warning) == ""
    tex = "".join(path.read_text(encoding="utf-8") for path in sorted(Path(app.outdir).glob("*.tex")))
    app.cleanup()
    return tex


def test_latex_is_what_the_unguarded_transforms_write(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = _source(rootdir, tmp_path)
    _checked_skips(monkeypatch)
    ours = _latex(make_app, srcdir, tmp_path / "ours")
    assert "in print only" in ours and "+SKIP" not in ours
    _stock(monkeypatch)
    assert ours == _latex(make_app, srcdir, tmp_path / "stock")


def test_the_census_lists_in_document_order_and_tells_what_is_still_in_the_page() -> None:
    document = nodes.document(None, None)  # type: ignore[arg-type]
    first, second, gone = (nodes.literal_block(text, text) for text in ("first", "second", "gone"))
    section = nodes.section("", first, nodes.container("", gone), second)
    document += section
    page = census.census(document)
    assert page.has(nodes.FixedTextElement) and not page.has(nodes.table)
    assert census.census(document) is page  # one walk a page
    section[1].replace_self(nodes.comment())  # as an ``only`` for another builder is taken out
    assert page.listed(nodes.literal_block) == [first, gone, second]
    assert page.still_in(page.listed(nodes.literal_block), document) == [first, second]
    # Children set without their parent (as an assembled document's are): the census cannot tell.
    included = nodes.document(None, None)  # type: ignore[arg-type]
    included += nodes.paragraph("", "", nodes.literal("x", "x"))
    inside = nodes.literal_block("inside", "inside")
    included += inside
    section.children.append(included)
    assert page.still_in([first, inside], document) is None


def test_guarded_only_with_the_releases_their_searches_were_read_from() -> None:
    # A new release: read what each transform looks for again, run the tests above, update GUARDED.
    for distribution, verified, _name, _wanted in census.GUARDED:
        assert version(distribution) == verified, distribution
