"""Smart quotes that pass over the text they would leave unchanged.

Sphinx's transform (docutils' ``SmartQuotes``) sends every text node of every
block through ``educate_tokens`` and replaces each with a new node, changed or
not: 5 % of a build of claim pages. :class:`SelectiveSmartQuotes` gives the same
result: a text node with none of the characters the educator acts on (quotation
marks, backticks, backslash escapes, entities, two hyphens, two dots) is left as
it is; any other goes through docutils' own ``educate_tokens``, preceded by the
character before it as a literal token (which ``educate_tokens`` keeps as it is,
taking its last character as the context for the next quote); a node is
replaced only when its text changes. The stupefy action (``-1``), which acts on
every character, takes the stock path.

``tests/test_smartquotes.py`` checks that for random blocks both give the same
text, and that the reference's pages are built the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes, utils
from docutils.utils import smartquotes
from sphinx.transforms import SphinxSmartQuotes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# What educate_tokens can change (its actions q, b, B, d, D, i, e, w): the quotation
# marks and backticks, backslash escapes and the entities it restores, dashes, ellipses.
ACTIVE = re.compile(r"""['"`\\&]|--|\.\.|\. \.""")


def educate_block(tokens: Iterable[tuple[str, str]], attr: str, language: str) -> list[str]:
    """What ``educate_tokens(tokens, attr, language)`` gives, educating only the tokens it could change."""
    out: list[str] = []
    last = " "  # educate_tokens' context before the first token
    for kind, text in tokens:
        if text and kind == "plain" and ACTIVE.search(text):
            out.append(list(smartquotes.educate_tokens([("literal", last), ("plain", text)], attr, language))[1])
        else:
            out.append(text)
        if text and kind != "tag":
            last = text[-1]
    return out


class SelectiveSmartQuotes(SphinxSmartQuotes):
    """Sphinx's SmartQuotes, educating and replacing only the text nodes it changes."""

    def apply(self, **kwargs: Any) -> None:
        if not self.is_available():
            return
        self.smartquotes_action = self.config.smartquotes_action
        if self.smartquotes_action == "-1":
            super().apply()
            return
        settings = self.document.settings
        smart_quotes = settings.setdefault("smart_quotes", False)
        if not smart_quotes:
            return
        alternative = isinstance(smart_quotes, str) and smart_quotes.startswith("alt")
        if settings.smartquotes_locales:
            smartquotes.smartchars.quotes.update(dict(settings.smartquotes_locales))
        # As docutils does it: each block (a TextElement not inside another) is one unit,
        # so that the context carries across its inline nodes.
        for block in self.document.findall(nodes.TextElement):
            if isinstance(block, self.nodes_to_skip) or isinstance(block.parent, nodes.TextElement):
                continue
            texts = [t for t in block.findall(nodes.Text) if not isinstance(t.parent, nodes.option_string)]
            language = self._language(block, settings.language_code, alternative)
            if not any(ACTIVE.search(t) for t in texts):
                continue
            educated = educate_block(self.get_tokens(texts), self.smartquotes_action, language)
            for text, new in zip(texts, educated, strict=True):
                if new != text:
                    text.parent.replace(text, nodes.Text(new))
        self.unsupported_languages.clear()

    def _language(self, block: nodes.Element, document_language: str, alternative: bool) -> str:
        """The block's language among those smartquotes knows, as docutils chooses it (warning once
        for a language it does not know, whose quotes stay as typed)."""
        language = block.get_language_code(document_language)
        if alternative:
            language = language.replace("-x-altquot", "") if "-x-altquot" in language else language + "-x-altquot"
        for tag in utils.normalize_language_tag(language):
            if tag in smartquotes.smartchars.quotes:
                return str(tag)
        if language not in self.unsupported_languages:
            self.document.reporter.warning(f'No smart quotes defined for language "{language}".', base_node=block)
        self.unsupported_languages.add(language)
        return ""


def setup_smartquotes(app: Sphinx) -> None:
    """Put :class:`SelectiveSmartQuotes` in the place of Sphinx's transform."""
    transforms = app.registry.transforms
    if SphinxSmartQuotes in transforms:
        transforms[transforms.index(SphinxSmartQuotes)] = SelectiveSmartQuotes
