"""What reference managers read: Highwire Press ``citation_*`` and Dublin Core tags, and COinS.

Zotero's "Save to Zotero" and Google Scholar read ``<meta name="citation_...">``
(Google Scholar's inclusion guidelines ask for them); Zotero reads Dublin Core
too, and COinS (``<span class="Z3988">``) for a page listing many works. Claim
pages and the Source texts page each describe themselves as a chapter of the
reference, with one ``citation_reference`` per source they cite; the Sources
page carries a COinS span per entry. Every value comes from the same records
as the "Cite this" formats (:mod:`.cite`), so the two never disagree.

No ``citation_pdf_url`` is written: the HTML site publishes no PDF of a page
(the PDF of the whole reference is built separately, ``make pdf``).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from docutils import nodes

from .bibliography import bib_entries, entry_date, entry_title, plain_text
from .cite import Citable, claim_citable, highwire_date
from .config import get_config
from .domain import ClaimDomain
from .history import page_history

if TYPE_CHECKING:
    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def entry_authors(entry: Entry) -> list[str]:
    """The entry's authors (or editors) as written, issuing bodies without their braces."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    return [" ".join(str(p).replace("{", "").replace("}", "").split()) for p in people]


def _clean(value: str) -> str:
    """A value inside ``citation_reference``, whose fields are separated by "; "."""
    return " ".join(value.replace(";", ",").split())


def citation_reference(entry: Entry) -> str:
    """One cited source, in the ``citation_reference`` form Google Scholar reads."""
    fields = [f"citation_title={_clean(entry_title(entry))}"]
    fields += [f"citation_author={_clean(name)}" for name in entry_authors(entry)]
    if entry_date(entry):
        fields.append(f"citation_publication_date={highwire_date(entry_date(entry))}")
    if entry.fields.get("journal"):
        fields.append(f"citation_journal_title={_clean(str(entry.fields['journal']))}")
    if entry.fields.get("doi"):
        fields.append(f"citation_doi={entry.fields['doi']}")
    if entry.fields.get("url"):
        fields.append(f"citation_public_url={entry.fields['url']}")
    return "; ".join(fields)


def page_tags(env: BuildEnvironment, item: Citable, cited_keys: list[str]) -> list[tuple[str, str]]:
    """(name, content) of every Highwire and Dublin Core tag of a citable page, in order."""
    config = env.config
    claimref = get_config(config)
    url = f"{claimref.base_url}{item.path.partition('#')[0]}" if claimref.base_url else ""
    dates = item.history
    entries = bib_entries(env)
    tags = [("citation_title", item.title), ("citation_author", config.author)]
    if dates.first_date:
        tags.append(("citation_publication_date", highwire_date(dates.first_date)))
    if dates.last_date:
        tags.append(("citation_online_date", highwire_date(dates.last_date)))
    tags += [
        ("citation_inbook_title", config.project),
        ("citation_publisher", config.author),
        ("citation_language", "en"),
    ]
    if url:
        tags.append(("citation_public_url", url))
    tags += [("citation_reference", citation_reference(entries[k])) for k in cited_keys if k in entries]
    tags += [
        ("DC.title", item.title),
        ("DC.creator", config.author),
        ("DC.publisher", config.author),
        ("DCTERMS.isPartOf", config.project),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.language", "en"),
        ("DC.rights", f"{claimref.license} ({claimref.license_url})"),
        ("DCTERMS.license", claimref.license_url),
    ]
    # Dublin Core dates are W3CDTF, as the page's dates are (2026-11, 2026-11-23).
    tags += [
        (name, value)
        for name, value in (
            ("DC.date", dates.first_date),
            ("DCTERMS.issued", dates.first_date),
            ("DCTERMS.modified", dates.last_date),
        )
        if value
    ]
    if url:
        tags.append(("DC.identifier", url))
    tags += [("DCTERMS.references", entry_title(entries[k])) for k in cited_keys if k in entries]
    return tags


def render_tags(tags: list[tuple[str, str]]) -> str:
    schemas = (
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />\n'
        '<link rel="schema.DCTERMS" href="http://purl.org/dc/terms/" />\n'
    )
    return schemas + "".join(f'<meta name="{name}" content="{escape(value)}" />\n' for name, value in tags)


def _cited_keys(domain: ClaimDomain, docname: str) -> list[str]:
    """Each source the page cites or quotes, once, in the order of first citation."""
    keys: list[str] = []
    for record in [*domain.data["citations"].get(docname, []), *domain.data["quotations"].get(docname, [])]:
        if record.key not in keys:
            keys.append(record.key)
    return keys


def citable_page(env: BuildEnvironment, pagename: str) -> tuple[Citable, list[str]] | None:
    """The page as a citable work with the sources it cites, or None for a page that is not one."""
    domain = cast(ClaimDomain, env.get_domain("claim"))
    record = domain.claims.get(pagename)
    if record is not None:
        return claim_citable(env, record.id, record.title), _cited_keys(domain, pagename)
    if pagename == domain.page_for("source_texts_page"):
        title = env.titles[pagename].astext() if pagename in env.titles else "Source texts"
        item = Citable("source-texts", title, f"{pagename}.html", "Source texts", page_history(env, pagename))
        return item, sorted(domain.source_files)
    return None


def add_citation_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    found = citable_page(app.env, pagename)
    if found is None:
        return
    context["metatags"] = context.get("metatags", "") + "\n" + render_tags(page_tags(app.env, *found))


# -- COinS -----------------------------------------------------------------------------------


class coins_span(nodes.Inline, nodes.Element):  # noqa: N801 (docutils style)
    """An empty ``<span class="Z3988" title="...">`` (OpenURL ContextObject in SPAN); HTML only."""


def coins_title(entry: Entry) -> str:
    """The OpenURL 1.0 KEV ContextObject of one bibliography entry."""
    fields = entry.fields
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004"), ("rfr_id", "info:sid/claimref")]
    title = entry_title(entry)
    authors = entry_authors(entry)
    if fields.get("journal"):
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"), ("rft.atitle", title)]
        pairs.append(("rft.jtitle", plain_text(str(fields["journal"]))))
        for name, key in (("volume", "rft.volume"), ("number", "rft.issue"), ("pages", "rft.pages")):
            if fields.get(name):
                pairs.append((key, str(fields[name])))
    elif entry.type == "book" or fields.get("publisher"):
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", "book"), ("rft.btitle", title)]
        if fields.get("publisher"):
            pairs.append(("rft.pub", plain_text(str(fields["publisher"]))))
        if fields.get("address"):
            pairs.append(("rft.place", plain_text(str(fields["address"]))))
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.title", title), ("rft.type", "document")]
        if fields.get("docsymbol"):
            pairs.append(("rft.identifier", str(fields["docsymbol"])))
    creator = "rft.creator" if pairs[2][1].endswith(":dc") else "rft.au"
    pairs += [(creator, name) for name in authors]
    if entry_date(entry):
        pairs.append(("rft.date", entry_date(entry)))
    if fields.get("doi"):
        pairs.append(("rft_id", f"info:doi/{fields['doi']}"))
    if fields.get("url"):
        pairs.append(("rft_id", str(fields["url"])))
    return urlencode(pairs)


def coins_node(entry: Entry) -> coins_span:
    return coins_span(title=coins_title(entry))


def visit_coins_html(self: nodes.NodeVisitor, node: coins_span) -> None:
    self.body.append(f'<span class="Z3988" title="{escape(node["title"])}"></span>')  # type: ignore[attr-defined]
    raise nodes.SkipNode


def skip_node(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_metadata(app: Sphinx) -> None:
    skip = (skip_node, None)
    app.add_node(coins_span, html=(visit_coins_html, None), latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("html-page-context", add_citation_tags)
