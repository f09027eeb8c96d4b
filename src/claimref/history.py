"""Stable dates for every page: first published in release X, last changed in release Y.

Never the build clock. A page's first release comes from the anchor manifest
(``first_published``, written by ``scripts/anchors.py update``); a page not yet
in it is being published by the release now built. Its last change comes from
the changelog's front matter, which lists, for each release, the pages it
changed and the corrections it made::

    ---
    releases:
      - release: "2026.12"
        date: "2026-12-14"        # optional; otherwise the release's year and month
        changed: [claims/libya-illegitimate]
    corrections:
      - release: "2026.12"
        date: "2026-12-09"
        page: claims/libya-illegitimate
        text: What was wrong, and what it now says.
    ---

Both files are read while the builder starts, so the dates are known while
every page is read (the "Cite this" formats and the header use them), and
both are build inputs: when either changes, the pages showing dates are read
again. A malformed front matter stops the build with its file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .anchors import Manifest
from .bibliography import format_iso_date
from .config import get_config
from .domain import ClaimDomain
from .warnings import Subtype, stop_build, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_RELEASE = re.compile(r"^(\d{4})\.(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class Release(NamedTuple):
    version: str
    date: str  # ISO: YYYY-MM-DD, or YYYY-MM from the release's name
    changed: tuple[str, ...]  # docnames
    line: int


class Correction(NamedTuple):
    release: str
    date: str  # ISO YYYY-MM-DD
    page: str  # docname
    text: str
    line: int


class History(NamedTuple):
    path: str
    releases: tuple[Release, ...]
    corrections: tuple[Correction, ...]


class PageHistory(NamedTuple):
    """What a reader of one page, or one passage, is told about its dates."""

    first: str  # release
    first_date: str
    last: str
    last_date: str
    corrections: tuple[Correction, ...]


class HistoryError(ValueError):
    """``path:line: problem``."""


def release_date(version: str, releases: tuple[Release, ...] = ()) -> str:
    """A release's date: as the changelog gives it, else its year and month (``2026.11`` -> ``2026-11``)."""
    for release in releases:
        if release.version == version and release.date:
            return release.date
    match = _RELEASE.match(version)
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def _front_matter(text: str) -> tuple[str, int]:
    """The YAML between the leading ``---`` lines, and the file line it starts on."""
    if not text.startswith("---\n"):
        return "", 1
    end = text.find("\n---", 4)
    if end < 0:
        return "", 1
    return text[4 : end + 1], 2


def _scalar(node: yaml.Node, where: str, offset: int) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise HistoryError(f"{where}:{node.start_mark.line + offset}: expected text")
    return str(node.value).strip()


def _mapping(node: yaml.Node, where: str, offset: int, allowed: set[str]) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise HistoryError(f"{where}:{node.start_mark.line + offset}: expected a mapping")
    out = {}
    for key, value in node.value:
        if key.value not in allowed:
            raise HistoryError(f"{where}:{key.start_mark.line + offset}: unknown field {key.value!r}")
        out[key.value] = value
    return out


def load_history(path: Path) -> History:
    """Parse the changelog's front matter; raise :class:`HistoryError` on anything malformed."""
    where = str(path)
    if not path.is_file():
        return History(where, (), ())
    yaml_text, offset = _front_matter(path.read_text(encoding="utf-8"))
    if not yaml_text.strip():
        return History(where, (), ())
    try:
        root = yaml.compose(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise HistoryError(f"{where}:{(mark.line if mark else 0) + offset}: not valid YAML: {exc.problem}") from exc
    if root is None:
        return History(where, (), ())
    top = _mapping(root, where, offset, {"releases", "corrections"})
    releases: list[Release] = []
    for item in _items(top.get("releases"), where, offset):
        fields = _mapping(item, where, offset, {"release", "date", "changed"})
        line = item.start_mark.line + offset
        version = _scalar(fields["release"], where, offset) if "release" in fields else ""
        if not _RELEASE.match(version):
            raise HistoryError(f"{where}:{line}: release must be named YYYY.MM, not {version!r}")
        date = _scalar(fields["date"], where, offset) if "date" in fields else ""
        _check_date(date, where, line, full=False)
        changed = tuple(_scalar(n, where, offset) for n in _items(fields.get("changed"), where, offset))
        releases.append(Release(version, date or release_date(version), changed, line))
    known = {r.version for r in releases}
    corrections: list[Correction] = []
    for item in _items(top.get("corrections"), where, offset):
        fields = _mapping(item, where, offset, {"release", "date", "page", "text"})
        line = item.start_mark.line + offset
        values = {
            name: _scalar(fields[name], where, offset) if name in fields else "" for name in Correction._fields[:4]
        }
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise HistoryError(f"{where}:{line}: a correction needs {', '.join(missing)}")
        if values["release"] not in known:
            raise HistoryError(f"{where}:{line}: correction in release {values['release']!r}, which is not listed")
        _check_date(values["date"], where, line, full=True)
        corrections.append(Correction(values["release"], values["date"], values["page"], values["text"], line))
    return History(where, tuple(sorted(releases)), tuple(corrections))


def _items(node: yaml.Node | None, where: str, offset: int) -> list[yaml.Node]:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~")):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise HistoryError(f"{where}:{node.start_mark.line + offset}: expected a list")
    return list(node.value)


def _check_date(value: str, where: str, line: int, *, full: bool) -> None:
    if not value:
        return
    try:
        if not _DATE.match(value) or (full and len(value) != 10):
            raise ValueError(value)
        format_iso_date(value)
    except ValueError:
        shape = "YYYY-MM-DD" if full else "YYYY-MM-DD or YYYY-MM"
        raise HistoryError(f"{where}:{line}: date must be {shape}, not {value!r}") from None


def page_history(env: BuildEnvironment, docname: str, fragment: str = "") -> PageHistory:
    """The dates of *docname* (or of one passage on it, by its anchor)."""
    history: History = getattr(env, "claimref_history", History("", (), ()))
    manifest: Manifest = getattr(env, "claimref_manifest", Manifest())
    current = env.config.claimref_release or env.config.release
    page = f"{docname}.html"
    first = (manifest.release_of(f"{page}#{fragment}") if fragment else "") or manifest.release_of(page) or current
    corrections = tuple(c for c in history.corrections if c.page == docname and c.release >= first)
    changes = [r.version for r in history.releases if docname in r.changed and r.version >= first]
    last = max([first, *changes, *(c.release for c in corrections)])
    return PageHistory(
        first, release_date(first, history.releases), last, release_date(last, history.releases), corrections
    )


def described(release: str, date: str) -> str:
    """``release 2026.11 (November 2026)``; without a dated release, what there is."""
    if not release:
        return "an unnamed release"
    return f"release {release}" + (f" ({format_iso_date(date)})" if date else "")


def history_nodes(history: PageHistory) -> list[nodes.Node]:
    """The dates as the page shows them, and each correction made to it (nothing without a release)."""
    if not history.first:
        return []
    text = f"First published in {described(history.first, history.first_date)}"
    if history.last != history.first:
        text += f"; last changed in {described(history.last, history.last_date)}"
    else:
        text += "; not changed since"
    out: list[nodes.Node] = [nodes.paragraph(text, text + ".", classes=["claim-history"])]
    for correction in history.corrections:
        para = nodes.paragraph(classes=["claim-correction"])
        label = f"Correction, {format_iso_date(correction.date)} (release {correction.release}): "
        para += nodes.strong(label, label)
        para += nodes.Text(correction.text)
        out.append(para)
    return out


class CorrectionsLogDirective(SphinxDirective):
    """``corrections-log``: every correction, newest first, each dated and linked to the page it changed."""

    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        # Registered like a generated index, so the page is read again when the changelog changes.
        domain.data["index_pages"].setdefault(self.env.docname, []).append("corrections")
        history: History = getattr(self.env, "claimref_history", History("", (), ()))
        if not history.corrections:
            return [nodes.paragraph("", "No correction has been made in any release so far.")]
        items = nodes.bullet_list(classes=["claimref-corrections-log"])
        for correction in sorted(history.corrections, key=lambda c: (c.date, c.page), reverse=True):
            para = nodes.paragraph()
            para += nodes.strong(format_iso_date(correction.date), format_iso_date(correction.date))
            para += nodes.Text(f" (release {correction.release}), ")
            ref = addnodes.pending_xref(
                "", refdomain="std", reftype="doc", reftarget="/" + correction.page, refexplicit=False, refwarn=True
            )
            ref += nodes.inline(correction.page, correction.page)
            para += ref
            para += nodes.Text(f": {correction.text}")
            items += nodes.list_item("", para)
        return [items]


def changelog_path(app: Sphinx) -> Path:
    return Path(app.srcdir) / get_config(app.config).changelog


def load_release_history(app: Sphinx) -> None:
    try:
        app.env.claimref_history = load_history(changelog_path(app))  # type: ignore[attr-defined]
    except HistoryError as exc:
        stop_build(str(exc))


def check_history(app: Sphinx, env: BuildEnvironment) -> None:
    """Every page the changelog names exists (checked once the build knows its pages)."""
    history: History = getattr(env, "claimref_history", History("", (), ()))
    for release in history.releases:
        for page in release.changed:
            if page not in env.found_docs:
                message = f"release {release.version} names page {page!r}, which does not exist"
                warn(Subtype.HISTORY, message, f"{history.path}:{release.line}")
    for correction in history.corrections:
        if correction.page not in env.found_docs:
            message = f"a correction names page {correction.page!r}, which does not exist"
            warn(Subtype.HISTORY, message, f"{history.path}:{correction.line}")


def setup_history(app: Sphinx) -> None:
    # After the anchor manifest is loaded (redirects, priority 500); before any page is read.
    app.connect("builder-inited", load_release_history, priority=600)
    app.connect("env-check-consistency", check_history)
    app.add_directive("corrections-log", CorrectionsLogDirective)
