"""references.bib as the reference requires it, checked before sphinxcontrib-bibtex parses it.

A syntax error stops the build with ``file:line``; an entry without a known
``kind``, a title or an ISO ``date``, or with a URL that is not http(s), is a
warning at the entry's line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError
from sphinx.errors import SphinxError

from .bibliography import format_iso_date
from .config import get_config
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ENTRY = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.M)


class BibliographyError(SphinxError):
    category = "Bibliography error"


def entry_lines(text: str) -> dict[str, int]:
    """Entry key -> the line its ``@type{key,`` starts on."""
    return {
        m.group(2): text.count("\n", 0, m.start()) + 1 for m in _ENTRY.finditer(text) if m.group(1).lower() != "comment"
    }


def check_bibliography(app: Sphinx) -> None:
    kinds = get_config(app.config).source_kinds
    for name in app.config.bibtex_bibfiles or []:
        path = (Path(app.confdir) / name).resolve()
        if not path.is_file():
            raise BibliographyError(f"{path}:1: the bibliography file does not exist")
        text = path.read_text(encoding="utf-8-sig")
        try:
            data = Parser().parse_string(text)
        except PybtexSyntaxError as exc:
            raise BibliographyError(f"{path}:{getattr(exc, 'lineno', 1)}: {exc}") from exc
        except Exception as exc:  # pybtex reports duplicate keys and the like as plain errors
            raise BibliographyError(f"{path}:1: {exc}") from exc
        lines = entry_lines(text)
        for key, entry in data.entries.items():
            where = f"{path}:{lines.get(key, 1)}"
            fields = entry.fields
            if fields.get("kind") not in kinds:
                warn(Subtype.BAD_ENTRY, f"entry {key!r}: kind must be one of {', '.join(kinds)}", where)
            if not fields.get("title"):
                warn(Subtype.BAD_ENTRY, f"entry {key!r} has no title", where)
            try:
                format_iso_date(fields.get("date", ""))
            except ValueError:
                warn(Subtype.BAD_ENTRY, f"entry {key!r}: date must be YYYY, YYYY-MM or YYYY-MM-DD", where)
            for field in ("url", "archiveurl"):
                if field in fields and not re.match(r"^https?://\S+$", fields[field]):
                    warn(Subtype.BAD_ENTRY, f"entry {key!r}: {field} is not an http(s) URL", where)
            if "archiveurl" in fields and "url" not in fields:
                warn(Subtype.BAD_ENTRY, f"entry {key!r}: an archiveurl needs the live url beside it", where)
            for field in ("urldate", "archivedate"):
                if field in fields:
                    try:
                        format_iso_date(fields[field])
                    except ValueError:
                        warn(Subtype.BAD_ENTRY, f"entry {key!r}: {field} must be an ISO date", where)


def setup_bibcheck(app: Sphinx) -> None:
    # Priority 400: before sphinxcontrib-bibtex parses the files at the default 500.
    app.connect("builder-inited", check_bibliography, priority=400)
