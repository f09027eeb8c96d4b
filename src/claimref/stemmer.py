"""The search index's English stemmer, remembered across pages.

Sphinx's indexer memoises the stemmer for one page only (``IndexBuilder.feed``
makes a new ``functools.cache`` per call), so every page stems its whole
vocabulary again: at 235 claim pages that was four fifths of the indexer's
time. Snowball stemming is a pure function of the word, so one dictionary for
the build gives the same index. It is registered through Sphinx's documented
``add_search_language``, as the language ``en``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.search.en import SearchEnglish

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class RememberingSearchEnglish(SearchEnglish):
    """Sphinx's English search language, with each word stemmed once per build."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stemmed = self._stems.get(word)
        if stemmed is None:
            stemmed = self._stems[word] = super().stem(word)
        return stemmed


def setup_stemmer(app: Sphinx) -> None:
    app.add_search_language(RememberingSearchEnglish)
