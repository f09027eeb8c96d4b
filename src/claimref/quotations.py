"""Quotations bound to a source passage: the ``quote`` role and ``quotation`` directive.

Each quotation is checked against its passage while the page is read (a
mismatch fails a ``-W`` build with a word-level diff), recorded in the domain
for ``scripts/check_references.py``, footnoted like ``fn`` and linked to the
passage on the Source texts page, and, where the source has a web address,
to the quoted words there (:mod:`.fragments`). Quoted runs of six or more words outside
this markup are recorded and reported as unverified.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .citations import cite, parse_targets, role_line
from .domain import ClaimDomain, QuotationRecord, UnmarkedQuotation
from .fragments import at_source_link
from .passages import judge_quotation
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

QUOTE_CLASS = "claimref-quote"
_ROLE_TEXT = re.compile(r"^(?P<text>.+?)\s*<(?P<target>[^<>]+)>\s*$", re.DOTALL)
_QUOTED = re.compile(r"\u201c([^\u201c\u201d\x00]+)\u201d|\"([^\"\x00]+)\"|\u2018([^\u2018\u2019\x00]+)\u2019(?!\w)")
UNVERIFIED_MIN_WORDS = 6


def verify(env: BuildEnvironment, key: str, locator: str, text: str, line: int) -> bool:
    """Check *text* against its passage now, and record it for the checker; True if it matches."""
    location = (env.docname, line)
    domain = cast(ClaimDomain, env.get_domain("claim"))
    judgement = judge_quotation(domain.source_files, key, locator, text)
    domain.note_quotation(
        QuotationRecord(env.docname, line, key, locator, text, str(env.doc2path(env.docname)), judgement.verdict)
    )
    if judgement.verdict == "mismatch":
        message = f"{judgement.reason}; nearest source text: {judgement.nearest!r}; diff: {judgement.diff}"
        warn(Subtype.QUOTATION, message, location)
    elif not judgement.ok:
        subtype = Subtype.QUOTATION if judgement.verdict == "no-source" else Subtype.LOCATOR
        warn(subtype, judgement.reason, location)
    return judgement.ok


def passage_link(key: str, locator: str, *children: nodes.Node) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="claim", reftype="passage", reftarget=f"{key}{{{locator}}}", refexplicit=True, refwarn=True
    )
    ref.extend(children)
    return ref


def _single_target(text: str) -> tuple[str, str]:
    targets = parse_targets(text)
    if len(targets) != 1:
        raise ValueError("a quotation has exactly one source: key{locator}")
    return targets[0]


class QuoteRole(SphinxRole):
    """``{quote}`quoted words <key{locator}>``` -> “quoted words” linked to the passage, footnoted."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        line = role_line(self)
        location = (self.env.docname, line)
        match = _ROLE_TEXT.match(self.text)
        try:
            if match is None:
                raise ValueError("write {quote}`quoted words <key{locator}>`")
            key, locator = _single_target(match.group("target"))
        except ValueError as exc:
            warn(Subtype.QUOTATION, f"malformed quotation {self.text!r}: {exc}", location)
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        text = " ".join(match.group("text").split())
        verified = bool(locator) and verify(self.env, key, locator, text, line)
        quoted = nodes.inline("", classes=[QUOTE_CLASS])
        quoted += passage_link(key, locator, nodes.Text(f"\u201c{text}\u201d"))
        at_source = at_source_link(self.env, key, locator, text, verified)
        return [quoted, *cite(self.env, key, locator, line, self.rawtext), *at_source], []


class QuotationDirective(SphinxDirective):
    """A block quotation: ``quotation key{locator}`` with the quoted words as content."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, object]] = {}

    def run(self) -> list[nodes.Node]:
        location = (self.env.docname, self.lineno)
        try:
            key, locator = _single_target(self.arguments[0])
        except ValueError as exc:
            warn(Subtype.QUOTATION, f"malformed quotation source {self.arguments[0]!r}: {exc}", location)
            return []
        paragraphs = [" ".join(p.split()) for p in "\n".join(self.content).split("\n\n") if p.strip()]
        if not paragraphs:
            warn(Subtype.QUOTATION, "empty quotation", location)
            return []
        verified = bool(locator) and verify(self.env, key, locator, " ".join(paragraphs), self.lineno)
        block = nodes.block_quote(classes=[QUOTE_CLASS])
        for text in paragraphs:
            block += nodes.paragraph(text, text)
        attribution = nodes.attribution()
        attribution += passage_link(key, locator, nodes.Text(f"{key}, {locator}" if locator else key))
        attribution.extend(cite(self.env, key, locator, self.lineno, self.block_text))
        attribution.extend(at_source_link(self.env, key, locator, " ".join(paragraphs), verified))
        block += attribution
        return [block]


_SKIPPED_NODES = (nodes.literal, nodes.literal_block, nodes.footnote, nodes.raw, nodes.comment)
# A citation of this page, or a statement's words (verified, or the reference's own translation).
_SKIPPED_CLASSES = frozenset({QUOTE_CLASS, "claim-cite", "statement-words"})


def _skips(node: nodes.Element) -> bool:
    """Is what is inside *node* not the project's own prose: code, footnotes, marked quotations?"""
    return isinstance(node, _SKIPPED_NODES) or not _SKIPPED_CLASSES.isdisjoint(node["classes"])


def _is_block(node: nodes.Node) -> bool:
    return isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline)


def prose_blocks(doctree: nodes.Node) -> list[tuple[nodes.Element, str]]:
    """Each text block (paragraph, title, ...) of the project's prose, in document order, with its
    text: the text of marked quotations, code and footnotes inside it is a NUL, and a block nested in
    it is a block of its own. Blocks inside code, footnotes or marked quotations are left out."""
    blocks: list[tuple[nodes.Element, list[str]]] = []

    def walk(node: nodes.Element, parts: list[str] | None, inside_skipped: bool) -> None:
        # parts: the text of the nearest enclosing block (None: a block not scanned, or none yet).
        skipped = inside_skipped or _skips(node)
        for child in node.children:
            if isinstance(child, nodes.Text):
                if parts is not None:
                    parts.append("\x00" if skipped else child.astext())
                continue
            element = cast(nodes.Element, child)
            if _is_block(element):
                own: list[str] | None = None
                if not skipped and not isinstance(element, nodes.literal_block):
                    own = []
                    blocks.append((element, own))
                walk(element, own, skipped)
            else:
                walk(element, parts, skipped)

    root = cast(nodes.Element, doctree)
    if _is_block(root):
        blocks.append((root, []))
        walk(root, blocks[-1][1], False)
    else:
        walk(root, None, False)
    return [(block, "".join(parts)) for block, parts in blocks]


def find_unmarked_quotations(app: Sphinx, doctree: nodes.document) -> None:
    """Record quoted runs of six or more words written outside the quotation markup."""
    env = app.env
    domain = cast(ClaimDomain, env.get_domain("claim"))
    # Marked quotations become NULs, so no match spans them; nested blocks are scanned on their own.
    for block, text in prose_blocks(doctree):
        for match in _QUOTED.finditer(text):
            quoted = next(g for g in match.groups() if g is not None)
            if len(quoted.split()) >= UNVERIFIED_MIN_WORDS:
                line = block.line or _line_of(block)
                domain.note_unmarked(UnmarkedQuotation(env.docname, line, " ".join(quoted.split())))
                warn(
                    Subtype.UNVERIFIED_QUOTATION,
                    f"unverified quotation (use the quote role or quotation directive): \u201c{quoted.strip()}\u201d",
                    (env.docname, line),
                )


def _line_of(node: nodes.Node) -> int:
    while node is not None:
        if node.line:
            return int(node.line)
        node = node.parent
    return 0


def setup_quotations(app: Sphinx) -> None:
    app.add_role("quote", QuoteRole())
    app.add_directive("quotation", QuotationDirective)
    app.connect("doctree-read", find_unmarked_quotations)
