"""Every warning the extension emits has type ``claimref`` and a subtype from this enum."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("claimref")


class Subtype(StrEnum):
    CLAIM = "claim"  # a malformed claim directive
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_THEME = "unknown_theme"
    UNKNOWN_RELATED = "unknown_related"
    UNKNOWN_KEY = "unknown_key"
    BAD_ENTRY = "bad_entry"
    LOCATOR = "locator"
    SECTION = "section"
    THEME_PAGE = "theme_page"
    SOURCE_FILE = "source_file"
    QUOTATION = "quotation"
    UNVERIFIED_QUOTATION = "unverified_quotation"
    STATEMENT = "statement"  # a malformed claim-statement
    PERSON = "person"  # an unknown person, or a person without a page


def warn(subtype: Subtype, message: str, location: Any) -> None:
    """Warn with a location (``(docname, line)``, a node, or ``path:line`` text)."""
    logger.warning(message, location=location, type="claimref", subtype=subtype.value)
