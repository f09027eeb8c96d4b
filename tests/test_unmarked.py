"""The prose scanned for unmarked quotations is, block by block, what the scan it replaced read."""

from __future__ import annotations

from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from claimref.quotations import QUOTE_CLASS, prose_blocks


# -- the scan this replaced: every text block, and for each text node in it its ancestors walked --
def _old_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.literal, nodes.literal_block, nodes.footnote, nodes.raw, nodes.comment)):
            return True
        classes = parent.get("classes", [])
        if QUOTE_CLASS in classes or "claim-cite" in classes or "statement-words" in classes:
            return True
        parent = parent.parent
    return False


def _old_paragraph_of(text: nodes.Text) -> nodes.Node | None:
    node = text.parent
    while node is not None and not (isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline)):
        node = node.parent
    return node


def _old_blocks(doctree: nodes.Node) -> list[tuple[nodes.Element, str]]:
    found = []
    for block in doctree.findall(nodes.TextElement):
        if isinstance(block, (nodes.literal_block, nodes.literal)) or _old_skipped(block):
            continue
        parts = []
        for child in block.findall(nodes.Text):
            if _old_paragraph_of(child) is block:
                parts.append("\x00" if _old_skipped(child) else child.astext())
        found.append((block, "".join(parts)))
    # Inline elements were scanned too, always with no text of their own: nothing to find there.
    return [(block, text) for block, text in found if not isinstance(block, nodes.Inline)]


# -- random pages of the nodes that matter to the scan --
_WORDS = st.sampled_from(["NATO", "promised", '"not one inch"', "\u201ceastward\u201d", "\u2018never\u2019", " ", "\n"])
_TEXT = st.lists(_WORDS, min_size=1, max_size=6).map(lambda words: nodes.Text("".join(words)))
_CLASSES = st.sampled_from([[], [QUOTE_CLASS], ["claim-cite"], ["statement-words"], ["other"]])
_INLINE = (nodes.emphasis, nodes.strong, nodes.literal, nodes.inline, nodes.reference)
_BLOCK_TEXT = (nodes.paragraph, nodes.title, nodes.literal_block, nodes.attribution, nodes.caption)
_CONTAINERS = (nodes.section, nodes.block_quote, nodes.footnote, nodes.container, nodes.comment)


def _element(kind: type[nodes.Element], classes: list[str], children: list[nodes.Node]) -> nodes.Element:
    return (
        kind("", "", *children, classes=classes)
        if issubclass(kind, nodes.TextElement)
        else kind("", *children, classes=classes)
    )


_inline = st.recursive(
    _TEXT,
    lambda inner: st.builds(_element, st.sampled_from(_INLINE), _CLASSES, st.lists(inner, max_size=3)),
    max_leaves=6,
)
# A block may hold another text block (a caption in a paragraph): it is a block of its own.
_text_block = st.recursive(
    st.builds(_element, st.sampled_from(_BLOCK_TEXT), _CLASSES, st.lists(_inline, max_size=4)),
    lambda inner: st.builds(
        _element, st.sampled_from(_BLOCK_TEXT), _CLASSES, st.lists(st.one_of(_inline, inner), max_size=3)
    ),
    max_leaves=3,
)
_body = st.recursive(
    _text_block,
    lambda inner: st.builds(_element, st.sampled_from(_CONTAINERS), _CLASSES, st.lists(inner, max_size=4)),
    max_leaves=12,
)


def _document(children: list[nodes.Node]) -> nodes.document:
    document = nodes.document(None, None)  # type: ignore[arg-type]
    document.extend(children)
    return document


@settings(max_examples=400, deadline=None)
@given(st.lists(_body, max_size=5).map(_document))
def test_the_blocks_and_their_text_are_those_the_old_scan_read(document: nodes.document) -> None:
    ours = [(id(block), text) for block, text in prose_blocks(document)]
    assert ours == [(id(block), text) for block, text in _old_blocks(document)]


def test_a_page_of_prose_quotations_and_code() -> None:
    marked = nodes.inline("", "", nodes.Text("\u201cmarked words\u201d"), classes=[QUOTE_CLASS])
    prose = nodes.paragraph("", "", nodes.Text('He said "six words or more are here" and '), marked)
    code = nodes.literal_block('"not prose at all, six words"', '"not prose at all, six words"')
    note = nodes.footnote("", nodes.paragraph("", '"a footnote is a source citation"'))
    document = _document([nodes.section("", nodes.title("A title", "A title"), prose, code, note)])
    assert [text for _, text in prose_blocks(document)] == ["A title", 'He said "six words or more are here" and \x00']
