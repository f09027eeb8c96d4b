"""The claims as data: ``claims.json``, ``claims.csv`` and their JSON Schema, and ClaimReview JSON-LD.

Written by the HTML build from the claim domain (never from a second parse of
the pages). The schema is defined here once; the Data page's field table is
generated from it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from . import jsonindent
from .bibliography import bib_entries, entry_date, entry_title
from .check.links import atomic_write
from .config import get_config
from .domain import ClaimDomain, ClaimRecord, StatementRecord
from .history import page_history
from .statements import OWN_TRANSLATION

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_STR = {"type": "string"}
_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_SOURCE_REF = {
    "type": "object",
    "required": ["key", "locator", "title"],
    "properties": {"key": _STR, "locator": _STR, "title": _STR, "url": _STR},
    "additionalProperties": False,
}

_RELEASE_REF = {
    "type": "object",
    "required": ["release", "date"],
    # Empty only in a build with no release named YYYY.MM.
    "properties": {"release": _STR, "date": {"type": "string", "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"}},
    "additionalProperties": False,
}

_VERDICT = {"enum": ["verified", "mismatch", "no-source", "no-passage", "withdrawn", "own-translation"]}

#: field -> (JSON Schema, description). One place: the schema file and the Data page come from it.
FIELDS: dict[str, tuple[dict[str, Any], str]] = {
    "id": ({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}, "Permanent ID; the page is claims/<id>.html"),
    "claim": (_STR, "The claim as the page title states it"),
    "statement": (_STR, "The claim in neutral words"),
    "summary": (_STR, "One line on what the documentary record shows"),
    "themes": ({"type": "array", "items": _STR}, "Theme slugs"),
    "seeds": (
        {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "title", "date"],
                "properties": {"key": _STR, "title": _STR, "date": _DATE},
                "additionalProperties": False,
            },
        },
        "The seed documents that answered the claim, with their dates",
    ),
    "attribution": (
        {
            "type": "object",
            "required": ["claimant"],
            "properties": {"claimant": _STR, "date": _DATE, "appearance": _SOURCE_REF},
            "additionalProperties": False,
        },
        "Who first made the claim, when, and the record it appears in (the earliest statement)",
    ),
    "statements": (
        {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "person",
                    "name",
                    "office",
                    "date",
                    "occasion",
                    "source",
                    "words",
                    "translation",
                    "verdict",
                    "permalink",
                ],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                    "person": _STR,
                    "name": _STR,
                    "name_ru": _STR,
                    "office": _STR,
                    "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "occasion": _STR,
                    "place": _STR,
                    "source": _SOURCE_REF,
                    "words": _STR,
                    "translation": _STR,
                    "verdict": _VERDICT,
                    "original": _STR,
                    "original_source": _SOURCE_REF,
                    "original_verdict": _VERDICT,
                    "permalink": _STR,
                },
                "additionalProperties": False,
            },
        },
        "Every dated statement of the claim by a named person, oldest first, with its verdicts",
    ),
    "sources": ({"type": "array", "items": _SOURCE_REF}, "Every source the page cites, with its locator"),
    "quotations": (
        {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "locator", "text", "verdict"],
                "properties": {
                    "key": _STR,
                    "locator": _STR,
                    "text": _STR,
                    "verdict": {"enum": ["verified", "mismatch", "no-source", "no-passage", "withdrawn"]},
                },
                "additionalProperties": False,
            },
        },
        "Every quotation on the page and whether it matches its stored passage",
    ),
    "related": ({"type": "array", "items": _STR}, "IDs of related claims (both directions)"),
    "permalink": (_STR, "The page's address (absolute when the reference's base URL is set)"),
    "verdict": (_STR, "A short verdict (under 75 characters), the name of the ClaimReview rating; empty if none yet"),
    "first_published": (
        _RELEASE_REF,
        "The release that first published the page, and its date (from the anchor manifest, not the build clock)",
    ),
    "last_changed": (_RELEASE_REF, "The release that last changed the page (from the changelog), and its date"),
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Claims of the annotated citation reference",
    "type": "object",
    "required": ["release", "license", "claims"],
    "properties": {
        "release": _STR,
        "license": {
            "type": "object",
            "required": ["id", "url"],
            "properties": {"id": _STR, "url": _STR},
            "additionalProperties": False,
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": list(FIELDS),
                "properties": {name: schema for name, (schema, _help) in FIELDS.items()},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def _source_ref(env: BuildEnvironment, key: str, locator: str) -> dict[str, str]:
    entry = bib_entries(env).get(key)
    ref = {"key": key, "locator": locator, "title": entry_title(entry) if entry else key}
    if entry is not None and entry.fields.get("url"):
        ref["url"] = str(entry.fields["url"])
    return ref


def permalink(env: BuildEnvironment, claim_id: str) -> str:
    return f"{env.config.claimref_base_url}claims/{claim_id}.html"


def statement_record(env: BuildEnvironment, statement: StatementRecord) -> dict[str, Any]:
    """One statement as data: who, when, where, the words and the verdict on each quotation."""
    domain = cast(ClaimDomain, env.get_domain("claim"))
    person = domain.people[statement.person]
    office = person.office_on(statement.date)
    if statement.translation == OWN_TRANSLATION:
        verdict = "own-translation"
    else:
        verdict = domain.quotation_verdict(statement.docname, statement.key, statement.locator, statement.words)
    result: dict[str, Any] = {
        "id": statement.id,
        "person": person.id,
        "name": person.name,
        "name_ru": person.name_ru,
        "office": office.title if office else "",
        "date": statement.date,
        "occasion": statement.occasion,
        "place": statement.place,
        "source": _source_ref(env, statement.key, statement.locator),
        "words": statement.words,
        "translation": statement.translation,
        "verdict": verdict,
    }
    if statement.original:
        result["original"] = statement.original
        result["original_source"] = _source_ref(env, statement.original_key, statement.original_locator)
        result["original_verdict"] = domain.quotation_verdict(
            statement.docname, statement.original_key, statement.original_locator, statement.original
        )
    result["permalink"] = f"{permalink(env, statement.claim_id)}#{statement.anchor}"
    return {k: v for k, v in result.items() if v != ""}


def attribution(env: BuildEnvironment, record: ClaimRecord) -> dict[str, Any]:
    """Who first made the claim, when, and where: the earliest statement on the page."""
    statements = cast(ClaimDomain, env.get_domain("claim")).statements_of(record.id)
    if not statements:
        return {"claimant": ""}
    first = statement_record(env, statements[0])
    return {"claimant": f"{first['name']}, {first['office']}", "date": first["date"], "appearance": first["source"]}


def claim_record(env: BuildEnvironment, record: ClaimRecord) -> dict[str, Any]:
    domain = cast(ClaimDomain, env.get_domain("claim"))
    entries = bib_entries(env)
    seen: set[tuple[str, str]] = set()
    sources = []
    for citation in domain.data["citations"].get(record.docname, []):
        if (citation.key, citation.locator) not in seen:
            seen.add((citation.key, citation.locator))
            sources.append(_source_ref(env, citation.key, citation.locator))
    dates = page_history(env, record.docname)
    quotations = []
    for quote in domain.data["quotations"].get(record.docname, []):
        quotations.append({"key": quote.key, "locator": quote.locator, "text": quote.text, "verdict": quote.verdict})
    return {
        "id": record.id,
        "claim": record.title,
        "statement": record.statement,
        "summary": record.summary,
        "themes": list(record.themes),
        "seeds": [
            {"key": k, "title": entry_title(entries[k]), "date": entry_date(entries[k])}
            for k in record.seeds
            if k in entries
        ],
        "attribution": attribution(env, record),
        "statements": [statement_record(env, s) for s in domain.statements_of(record.id)],
        "sources": sources,
        "quotations": quotations,
        "related": domain.related(record.id),
        "permalink": permalink(env, record.id),
        "verdict": record.verdict,
        "first_published": {"release": dates.first, "date": dates.first_date},
        "last_changed": {"release": dates.last, "date": dates.last_date},
    }


def dataset(env: BuildEnvironment) -> dict[str, Any]:
    domain = cast(ClaimDomain, env.get_domain("claim"))
    # One record per ID, even while a duplicate ID (a build error) stands.
    claims = [claim_record(env, r) for r in sorted(domain.claims_by_id().values(), key=lambda r: r.id)]
    config = get_config(env.config)
    return {
        "release": config.release or env.config.release,
        "license": {"id": config.license, "url": config.license_url},
        "claims": claims,
    }


def dataset_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(FIELDS))
    for claim in data["claims"]:
        writer.writerow(
            [
                claim["id"],
                claim["claim"],
                claim["statement"],
                claim["summary"],
                "; ".join(claim["themes"]),
                "; ".join(f"{s['key']} ({s['date']})" for s in claim["seeds"]),
                claim["attribution"]["claimant"]
                + (f" ({claim['attribution']['date']})" if "date" in claim["attribution"] else ""),
                "; ".join(f"{s['date']} {s['name']}: {s['words']} [{s['verdict']}]" for s in claim["statements"]),
                "; ".join(f"{s['key']}{{{s['locator']}}}" for s in claim["sources"]),
                "; ".join(f"{q['key']}{{{q['locator']}}}: {q['verdict']}" for q in claim["quotations"]),
                "; ".join(claim["related"]),
                claim["permalink"],
                claim["verdict"],
                f"{claim['first_published']['release']} ({claim['first_published']['date']})",
                f"{claim['last_changed']['release']} ({claim['last_changed']['date']})",
            ]
        )
    return out.getvalue()


def write_dataset(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    data = dataset(app.env)
    atomic_write(out / "claims.json", jsonindent.dumps(data, indent=1) + "\n", durable=False)
    atomic_write(out / "claims.csv", dataset_csv(data), durable=False)
    atomic_write(out / "claims.schema.json", json.dumps(SCHEMA, indent=1) + "\n", durable=False)


# -- ClaimReview -------------------------------------------------------------------------------


def claim_review(env: BuildEnvironment, record: ClaimRecord) -> dict[str, Any]:
    """The page's ClaimReview. The claim reviewed is the page's short title; its dates are the
    page's releases; the rating's name is the short verdict, and a page without one has no
    rating at all (a summary sentence cut to length would misstate the record)."""
    dates = page_history(env, record.docname)
    config = get_config(env.config)
    statements = cast(ClaimDomain, env.get_domain("claim")).statements_of(record.id)
    item: dict[str, Any] = {"@type": "Claim"}
    if statements:
        # The claim as first made: its author the person, its appearance the record of the statement.
        first = statement_record(env, statements[0])
        item["author"] = {"@type": "Person", "name": first["name"], "jobTitle": first["office"]}
        item["datePublished"] = first["date"]
        work: dict[str, Any] = {"@type": "CreativeWork", "name": first["source"]["title"]}
        if first["source"].get("url"):
            work["url"] = first["source"]["url"]
        item["appearance"] = work
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": permalink(env, record.id),
        "claimReviewed": record.title,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": env.config.author, "url": env.config.claimref_base_url or None},
        "datePublished": dates.first_date or None,
        "dateModified": dates.last_date or None,
        "license": config.license_url,
        "reviewRating": {"@type": "Rating", "alternateName": record.verdict} if record.verdict else None,
    }


def add_claim_review(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    domain = cast(ClaimDomain, app.env.get_domain("claim"))
    record = domain.claims.get(pagename)
    if record is None:
        return
    review = {k: v for k, v in claim_review(app.env, record).items() if v is not None}
    review["author"] = {k: v for k, v in review["author"].items() if v}
    # "</" cannot appear inside a script element.
    payload = json.dumps(review, ensure_ascii=False, indent=1).replace("</", "<\\/")
    context["metatags"] = context.get("metatags", "") + f'\n<script type="application/ld+json">\n{payload}\n</script>\n'


#: The data files the HTML build writes beside index.html, with what each holds.
DATA_FILES = {
    "claims.json": "every claim, one record each, with its statements, sources and quotations (JSON)",
    "claims.csv": "the same records, one row per claim (CSV, lists joined with '; ')",
    "claims.schema.json": "the JSON Schema that claims.json validates against",
}


class DataFilesDirective(SphinxDirective):
    """``claimref-data-files``: links to the data files of the build (on the web; the PDF names them)."""

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["claimref-data-files"])
        depth = "../" * self.env.docname.count("/")
        for name, description in DATA_FILES.items():
            para = nodes.paragraph()
            web = addnodes.only(expr="html")
            web += nodes.reference(name, name, refuri=depth + name, internal=False)
            para += web
            printed = addnodes.only(expr="not html")
            printed += nodes.literal(name, name)
            para += printed
            para += nodes.Text(f": {description}.")
            items += nodes.list_item("", para)
        return [items]


class DataFieldsDirective(SphinxDirective):
    """``claimref-data-fields``: the dataset's fields, generated from :data:`FIELDS`."""

    def run(self) -> list[nodes.Node]:
        table = nodes.table()
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=20)
        group += nodes.colspec(colwidth=80)
        head = nodes.row()
        for text in ("field", "meaning"):
            head += nodes.entry("", nodes.paragraph(text, text))
        group += nodes.thead("", head)
        body = nodes.tbody()
        for name, (_schema, help_text) in FIELDS.items():
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", "", nodes.literal(name, name)))
            row += nodes.entry("", nodes.paragraph(help_text, help_text))
            body += row
        group += body
        return [table]


def setup_export(app: Sphinx) -> None:
    app.add_directive("claimref-data-fields", DataFieldsDirective)
    app.add_directive("claimref-data-files", DataFilesDirective)
    app.connect("build-finished", write_dataset)
    app.connect("html-page-context", add_claim_review)
