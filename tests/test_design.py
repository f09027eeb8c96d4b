"""sphinx-design's HTML transforms run only where a page has what they transform, and write what they wrote."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import build_html, html_pages

from claimref import design

PAGE = """# Components

```{dropdown} A dropdown
Hidden text.
```

`````{tab-set}
````{tab-item} One
First tab.
````
````{tab-item} Two
Second tab.
````
`````

```{aside} An aside
Aside text.
```

```{card} A card
:link: https://example.org/card
:link-new-tab:

Card text.
```

```{button-link} https://example.org/button
:new-tab:

A button
```
"""


def _build(make_app, srcdir: Path, outdir: Path) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return html_pages(build_html(make_app, srcdir, outdir, confoverrides={"html_theme": "furo"}))


def test_pages_are_what_sphinx_design_writes_and_its_walks_skip_pages_without_components(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    (srcdir / "pages" / "components.md").write_text(PAGE, encoding="utf-8")
    walked: list[frozenset[str]] = []
    contents = design.design_contents
    monkeypatch.setattr(design, "design_contents", lambda document: walked.append(contents(document)) or walked[-1])
    ours = _build(make_app, srcdir, tmp_path / "ours")
    page = ours["pages/components.html"].decode()
    assert "<details" in page and "sd-tab-set" in page and page.count('target="_blank"') == 2
    assert "sd-tab-set" in ours["claims/first.html"].decode()  # the "Cite this" box
    # Each page was walked once to see what it has: this page everything, a claim page the tab set
    # of its "Cite this" box, the other pages nothing (so no transform walked them).
    assert set(walked) == {
        frozenset({"dropdown", "aside", "aside-body", "tab-set", "tab-item", "tab-content"})
        | {"card", "card-body", "card-title", "sd_new_tab"},
        frozenset({"tab-set", "tab-item", "tab-content"}),
        frozenset(),
    }

    monkeypatch.setattr(design, "setup_design", lambda app: None)  # sphinx-design as it is
    stock = _build(make_app, srcdir, tmp_path / "stock")
    assert ours.keys() == stock.keys()
    assert [name for name in ours if ours[name] != stock[name]] == []


def test_installed_only_with_the_verified_sphinx_design(make_app, rootdir: Path, tmp_path: Path) -> None:
    import sphinx_design
    from sphinx_design.dropdown import DropdownHtmlTransform

    # A new sphinx-design: check that its transforms still act only on nodes marked design_component
    # (and its new-tab links only on sd_new_tab), run the test above, then update the version.
    assert sphinx_design.__version__ == design.VERIFIED_SPHINX_DESIGN_VERSION
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "out", freshenv=True)
    replaced = [t for t in app.registry.post_transforms if t.__name__ == "DropdownHtmlTransform"]
    assert len(replaced) == 1 and replaced[0] is not DropdownHtmlTransform
    assert issubclass(replaced[0], DropdownHtmlTransform)
    app.cleanup()


def _div_at(html: str, start: int) -> str:
    """The ``<div>`` element that begins at *start*, with everything inside it."""
    depth, pos = 0, start
    for match in re.finditer(r"<div\b|</div>", html[start:]):
        depth += 1 if match.group() == "<div" else -1
        if depth == 0:
            pos = start + match.end()
            break
    return html[start:pos]


def _myst_tab_set(formats: dict[str, str]) -> str:
    """The same tab set in sphinx-design's own directives."""
    labels = {"chicago": "Chicago", "bibtex": "BibTeX", "ris": "RIS", "csl": "CSL-JSON"}
    lines = ["`````{tab-set}", ":class: claim-cite"]
    for fmt, text in formats.items():
        lines.append(f"````{{tab-item}} {labels[fmt]}")
        if fmt == "chicago":
            lines.append(text.replace("*", "\\*"))
        else:
            lines += [
                f"```{'bibtex' if fmt == 'bibtex' else 'json' if fmt == 'csl' else 'text'}",
                *text.splitlines(),
                "```",
            ]
        lines.append("````")
    return "\n".join([*lines, "`````", ""])


def test_the_cite_box_tab_set_is_the_one_sphinx_designs_directives_write(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    from claimref.cite import claim_citable, formats

    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    written: dict[str, str] = {}

    def formats_of_first(app) -> None:  # type: ignore[no-untyped-def]
        title = app.env.get_domain("claim").claims["claims/first"].title
        written.update(formats(claim_citable(app.env, "first", title), app.config))

    build_html(make_app, srcdir, tmp_path / "first", check_app=formats_of_first)
    (srcdir / "pages" / "tabs.md").write_text("# Tabs\n\n" + _myst_tab_set(written), encoding="utf-8")
    out = build_html(make_app, srcdir, tmp_path / "second")
    claim = (out / "claims" / "first.html").read_text(encoding="utf-8")
    page = (out / "pages" / "tabs.html").read_text(encoding="utf-8")
    ours = _div_at(claim, claim.index('<div class="sd-tab-set'))
    theirs = _div_at(page, page.index('<div class="sd-tab-set'))
    assert "claim-first" in ours and ours.count("sd-tab-label") == 4
    assert ours == theirs
