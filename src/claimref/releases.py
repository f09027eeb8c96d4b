"""Releases: the changelog's ``release-note`` entries, the Atom feed of them, and the release line.

Each ``release-note <version>`` on the changelog is a section with the anchor
``release-<version>`` and a ``:date:``; its record goes into the claim domain.
The HTML build writes ``changelog.atom`` (feedgen) from those records, links it
from every page's head, and shows on every page the release it is part of: on
the live site, a link to the frozen copy of that release under ``/<release>/``;
in the frozen copy, the release it freezes and a link to the live reference.
"""

from __future__ import annotations

import datetime
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from docutils import nodes
from docutils.nodes import make_id
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .check.links import atomic_write
from .config import get_config
from .domain import ClaimDomain
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FEED_FILE = "changelog.atom"


class ReleaseRecord(NamedTuple):
    """One release as its changelog entry records it."""

    docname: str
    line: int
    version: str
    date: str  # ISO date of the release
    anchor: str
    text: str  # the entry's text, for the feed and the front page


def release_anchor(version: str) -> str:
    """``2026.11`` -> ``release-2026-11``: from the version, never a counter."""
    return make_id(f"release-{version}")


class ReleaseNoteDirective(SphinxDirective):
    """``release-note <version>`` with ``:date: YYYY-MM-DD``: one release's entry on the changelog."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"date": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        version = self.arguments[0].strip()
        date = self.options.get("date", "").strip()
        location = (self.env.docname, self.lineno)
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            warn(Subtype.RELEASE, f"release-note {version!r} needs :date: YYYY-MM-DD, not {date!r}", location)
            return []
        # The front matter is the machine-readable record of the same release: they must agree.
        history = getattr(self.env, "claimref_history", None)
        releases = history.releases if history is not None else ()
        recorded = next((r for r in releases if r.version == version), None)
        if releases and recorded is None:
            warn(Subtype.RELEASE, f"release {version!r} is not in the changelog's front matter (releases:)", location)
        elif recorded is not None and recorded.date != date:
            warn(
                Subtype.RELEASE,
                f"release-note {version!r} is dated {date}, the changelog's front matter {recorded.date}",
                location,
            )
        anchor = release_anchor(version)
        section = nodes.section(ids=[anchor], classes=["release-note"])
        section.document = self.state.document
        self.set_source_info(section)
        section += nodes.title(version, version)
        dateline = f"Released {date}."
        section += nodes.paragraph(dateline, dateline, classes=["release-date"])
        self.state.nested_parse(self.content, self.content_offset, section)
        paragraphs = [p for p in section.findall(nodes.paragraph) if "release-date" not in p["classes"]]
        text = "\n\n".join(" ".join(p.astext().split()) for p in paragraphs)
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        records = domain.data["releases"].setdefault(self.env.docname, [])
        if any(r.version == version for r in records):
            warn(Subtype.RELEASE, f"release {version!r} has two release-note entries", location)
            return []
        # A global label, so the front page and other projects (intersphinx) can link the entry.
        self.env.get_domain("std").note_hyperlink_target(anchor, self.env.docname, anchor, f"Release {version}")  # type: ignore[attr-defined]
        records.append(ReleaseRecord(self.env.docname, self.lineno, version, date, anchor, text))
        return [section]


def all_releases(domain: ClaimDomain) -> list[ReleaseRecord]:
    """Every release, newest first."""
    records = [r for doc in domain.data["releases"].values() for r in doc]
    return sorted(records, key=lambda r: (r.date, r.version), reverse=True)


def atom_feed(app: Sphinx) -> bytes:
    """The Atom feed of the changelog: one entry per release, newest first."""
    from feedgen.feed import FeedGenerator

    domain = cast(ClaimDomain, app.env.get_domain("claim"))
    releases = all_releases(domain)
    base = get_config(app.config).base_url
    feed = FeedGenerator()
    # Atom ids are permanent: the published address when known, else a URN of the project's name.
    feed.id(f"{base}{FEED_FILE}" if base else "urn:claimref:changelog")
    feed.title(f"{app.config.project}: changelog")
    feed.author({"name": app.config.author})
    feed.language(app.config.language or "en")
    feed.link(href=f"{base}{FEED_FILE}", rel="self", type="application/atom+xml")
    feed.subtitle("Each release of the reference: claims added, changed or withdrawn, and corrections.")
    updated = None
    for record in reversed(releases):  # feedgen puts the last added entry first
        page = app.builder.get_target_uri(record.docname)
        when = datetime.datetime.fromisoformat(record.date).replace(tzinfo=datetime.UTC)
        entry = feed.add_entry()
        entry.id(f"{base}{page}#{record.anchor}" if base else f"urn:claimref:release:{record.version}")
        entry.title(f"Release {record.version}")
        entry.link(href=f"{base}{page}#{record.anchor}", rel="alternate", type="text/html")
        entry.updated(when)
        entry.published(when)
        entry.content(record.text, type="text")
        updated = max(updated or when, when)
    feed.updated(updated or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC))
    return cast(bytes, feed.atom_str(pretty=True))


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    domain = cast(ClaimDomain, app.env.get_domain("claim"))
    if not all_releases(domain):
        return
    atomic_write(Path(app.outdir) / FEED_FILE, atom_feed(app).decode("utf-8"), durable=False)


def release_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """The feed link in every page's head; the line naming the release the page is part of."""
    config = get_config(app.config)
    root = posixpath.relpath(".", posixpath.dirname(pagename) or ".")
    root = "" if root == "." else root + "/"
    domain = cast(ClaimDomain, app.env.get_domain("claim"))
    if all_releases(domain):
        context["metatags"] = context.get("metatags", "") + (
            f'\n<link rel="alternate" type="application/atom+xml" title="Changelog" href="{root}{FEED_FILE}">'
        )
    release = config.release
    if not release:
        return
    page = pagename + app.builder.out_suffix  # type: ignore[attr-defined]
    if config.frozen:
        # The frozen copy lives at <site>/<release>/, so the live page is one folder further up.
        context["claimref_release_line"] = {
            "text": f"This is the frozen copy of release {release}; it will not change.",
            "link": f"{root}../{page}",
            "link_text": "The live reference",
        }
    elif config.release_site:
        context["claimref_release_line"] = {
            "text": f"This page is part of release {release}.",
            "link": f"{root}{release}/{page}",
            "link_text": f"The frozen copy of release {release}",
        }


def setup_releases(app: Sphinx) -> None:
    app.add_directive("release-note", ReleaseNoteDirective)
    app.connect("html-page-context", release_context)
    app.connect("build-finished", write_feed)
