"""The ``fn`` role: a footnote citation with a locator, ``{fn}`key{Art. 10}```.

Unlike ``footcite``, each distinct key *and locator* on a page is its own
footnote, so Article 5 and Article 10 of one treaty stay apart; repeated
citations point back to the same footnote. Footnote ids derive from key and
locator (``fn-north-atlantic-treaty-art-10``), never from counters. Footnotes
are collected while the page is read and placed in its ``sources`` section
(or at the end of the page) once the whole page is parsed.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, cast

from docutils import nodes
from docutils.nodes import make_id
from sphinx.util.docutils import SphinxRole
from sphinxcontrib.bibtex.citation_target import parse_citation_targets

from .bibliography import bib_entries, note_nodes
from .domain import CitationRecord, ClaimDomain
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_PENDING = "claimref_footnotes"  # env.temp_data: footnote id -> footnote node, for this page
_NEWLINES = "claimref_newlines"  # env.temp_data: paragraph id -> (paragraph, children counted, their newlines)


@functools.lru_cache(maxsize=16384)
def footnote_id(key: str, locator: str) -> str:
    # make_id normalises Unicode and runs four regular expressions; a footnote is cited again and again.
    return make_id(f"fn-{key}-{locator}")


def parse_targets(text: str) -> list[tuple[str, str]]:
    """``a{Art. 5}, b{p. 3}`` -> ``[("a", "Art. 5"), ("b", "p. 3")]`` (bib's ``{pre}key{post}`` syntax)."""
    targets = list(parse_citation_targets(text))
    for target in targets:
        if target.pre:
            raise ValueError(f"{target.key}: a pre-text {{{target.pre}}} is not used; write key{{locator}}")
    return [(t.key, t.post.strip()) for t in targets]


def cite(env: BuildEnvironment, key: str, locator: str, line: int, rawsource: str) -> list[nodes.Node]:
    """A footnote reference to (key, locator) on the current page, creating the footnote once."""
    location = (env.docname, line)
    entries = bib_entries(env)
    if key not in entries:
        warn(Subtype.UNKNOWN_KEY, f"unknown citation key {key!r}: not in references.bib", location)
        return [nodes.problematic(rawsource, rawsource)]
    if not locator:
        warn(Subtype.LOCATOR, f"citation of {key!r} has no locator; write {key}{{Art. 10}}, {{p. 12}}, ...", location)
        return [nodes.problematic(rawsource, rawsource)]
    pending = cast("dict[str, nodes.footnote]", env.temp_data.setdefault(_PENDING, {}))
    fid = footnote_id(key, locator)
    footnote = pending.get(fid)
    if footnote is None:
        number = str(len(pending) + 1)
        footnote = nodes.footnote("", nodes.label(number, number), ids=[fid], docname=env.docname, backrefs=[])
        footnote += nodes.paragraph("", "", *note_nodes(entries[key], locator))
        pending[fid] = footnote
    number = footnote[0].astext()
    ref_id = f"{fid}-ref-{len(footnote['backrefs']) + 1}"
    footnote["backrefs"].append(ref_id)
    cast(ClaimDomain, env.get_domain("claim")).note_citation(CitationRecord(env.docname, line, key, locator, fid))
    return [nodes.footnote_reference(number, number, ids=[ref_id], refid=fid, docname=env.docname)]


def role_line(role: SphinxRole) -> int:
    """The role's own line. MyST gives a role its paragraph's first line; the paragraph's text so far
    holds one newline per line break before the role, so the role's line is that much further on."""
    node = getattr(role.inliner, "parent", None)
    while node is not None and not (isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline)):
        node = node.parent
    if node is None or not role.lineno:
        return role.lineno
    return role.lineno + _newlines_so_far(role.env, node)


def _newlines_so_far(env: BuildEnvironment, paragraph: nodes.Element) -> int:
    """The newlines in *paragraph*'s text so far. Its children but the last are complete (the last
    may be an emphasis still being filled), so their count is kept for the page's next role."""
    memo = cast("dict[int, tuple[nodes.Element, int, int]]", env.temp_data.setdefault(_NEWLINES, {}))
    children = paragraph.children
    complete = max(len(children) - 1, 0)
    held = memo.get(id(paragraph))
    done, count = (held[1], held[2]) if held is not None and held[0] is paragraph and held[1] <= complete else (0, 0)
    for child in children[done:complete]:
        count += child.astext().count("\n")
    memo[id(paragraph)] = (paragraph, complete, count)
    return count + sum(child.astext().count("\n") for child in children[complete:])


class FootnoteCitationRole(SphinxRole):
    """``{fn}`key{locator}``` (several targets separated by commas)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            targets = parse_targets(self.text)
        except ValueError as exc:
            warn(Subtype.LOCATOR, f"malformed citation {self.text!r}: {exc}", (self.env.docname, role_line(self)))
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        result: list[nodes.Node] = []
        for key, locator in targets:
            result.extend(cite(self.env, key, locator, role_line(self), self.rawtext))
        return result, []


def place_footnotes(app: Sphinx, doctree: nodes.document) -> None:
    """Move the page's footnotes into its ``sources`` section, or a Notes rubric at the end."""
    pending = cast("dict[str, nodes.footnote]", app.env.temp_data.pop(_PENDING, {}))
    if not pending:
        return
    container = next((s for s in doctree.findall(nodes.section) if "sources" in s["ids"]), None)
    if container is None:
        container = doctree.next_node(nodes.section) or doctree
        container += nodes.rubric("Notes", "Notes")
    # Footnotes go before the page's "Cite this" box (inside its only-html wrapper), if it has one.
    cite_box = next(
        (n for n in container.children if any("claim-cite" in d.get("classes", []) for d in n.findall(nodes.Element))),
        None,
    )
    for footnote in pending.values():
        if cite_box is not None:
            container.insert(container.index(cite_box), footnote)
        else:
            container += footnote


def setup_citations(app: Sphinx) -> None:
    app.add_role("fn", FootnoteCitationRole())
    app.connect("doctree-read", place_footnotes)
