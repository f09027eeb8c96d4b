"""Every warning the extension emits has type ``claimref`` and a subtype from this enum."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Any, NoReturn

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
    RELEASE = "release"  # a malformed release-note
    SEARCH = "search"  # the Pagefind index could not be built
    VERDICT = "verdict"  # a claim's short verdict too long for a rating's name
    HISTORY = "history"  # the changelog names a page that does not exist


def warn(subtype: Subtype, message: str, location: Any) -> None:
    """Warn with a location (``(docname, line)``, a node, or ``path:line`` text)."""
    logger.warning(message, location=location, type="claimref", subtype=subtype.value)


def stop_build(message: str) -> NoReturn:
    """Bad input that no page can be built from: one line, ``path:line: problem``, and exit status 2.

    Raised before anything is written (while the builder starts), so nothing is half-written, and
    on every build until the input is fixed. An exception would end in Sphinx's crash report,
    which buries the file and line under a traceback and asks for a bug report.
    """
    path, sep, rest = message.partition(":")
    if sep and os.path.isabs(path) and path.startswith(os.getcwd() + os.sep):
        message = os.path.relpath(path) + sep + rest
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    raise SystemExit(2)
