"""references.bib as the reference requires it, checked before sphinxcontrib-bibtex parses it.

A syntax error stops the build with ``file:line``; an entry without a known
``kind``, a title or an ISO ``date``, or with a URL that is not http(s), is a
warning at the entry's line.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from .bibliography import format_iso_date
from .config import get_config
from .warnings import Subtype, stop_build
from .warnings import warn as _warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ENTRY = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.M)


def entry_lines(text: str) -> dict[str, int]:
    """Entry key -> the line its ``@type{key,`` starts on."""
    return {
        m.group(2): text.count("\n", 0, m.start()) + 1 for m in _ENTRY.finditer(text) if m.group(1).lower() != "comment"
    }


_FIELD = re.compile(r"(?:^|,)\s*(\w+)\s*=\s*\{", re.M)


def unbalanced_field(text: str) -> tuple[int, str] | None:
    """The first ``field = {...}`` whose braces do not close before the next field or entry:
    (its line, its name). pybtex itself only notices at the end of the entry, lines later."""
    starts = [(m.start(1), m.group(1)) for m in _FIELD.finditer(text)]
    boundaries = sorted([s for s, _ in starts] + [m.start() for m in _ENTRY.finditer(text)] + [len(text)])
    for start, name in starts:
        end = next(b for b in boundaries if b > start)
        value = text[text.index("{", start) : end]
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                break
        if depth != 0:
            return text.count("\n", 0, start) + 1, name
    return None


def _duplicate_line(text: str, message: str) -> int:
    """The line of the entry a pybtex error names (a repeated key: its second occurrence)."""
    found = [m for m in _ENTRY.finditer(text) if m.group(2) in message]
    return text.count("\n", 0, found[-1].start()) + 1 if found else 1


#: In the doctree folder: the digests of the bibliography files that passed the check without a warning.
PASSED_FILE = "claimref-bibcheck-passed"


def check_bibliography(app: Sphinx) -> None:
    """Check every bibliography file, except one that passed without a warning as it is now (its
    text and the kinds allowed unchanged): parsing it is a tenth of a rebuild that changes nothing.
    A file that warned is checked again on every build until it passes."""
    kinds = get_config(app.config).source_kinds
    record = Path(app.doctreedir) / PASSED_FILE
    passed = set(record.read_text(encoding="utf-8").split()) if record.is_file() else set()
    now_passed = set()
    for name in app.config.bibtex_bibfiles or []:
        path = (Path(app.confdir) / name).resolve()
        if not path.is_file():
            stop_build(f"{path}:1: the bibliography file does not exist")
        text = path.read_text(encoding="utf-8-sig")
        digest = hashlib.sha256("\n".join([str(path), *kinds, text]).encode("utf-8")).hexdigest()
        if digest in passed or _check_file(path, text, kinds):
            now_passed.add(digest)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("".join(f"{d}\n" for d in sorted(now_passed)), encoding="utf-8")


def _check_file(path: Path, text: str, kinds: dict[str, str]) -> bool:
    """Check one file: stop the build on bad syntax, warn on bad entries; True if nothing was wrong."""
    warned = False

    def warn(subtype: Subtype, message: str, where: str) -> None:
        nonlocal warned
        warned = True
        _warn(subtype, message, where)

    unbalanced = unbalanced_field(text)
    if unbalanced:
        stop_build(f"{path}:{unbalanced[0]}: unbalanced braces in field {unbalanced[1]}")
    try:
        data = Parser().parse_string(text)
    except PybtexSyntaxError as exc:
        stop_build(f"{path}:{getattr(exc, 'lineno', 1)}: {exc.args[0] if exc.args else exc}")
    except Exception as exc:  # pybtex reports duplicate keys and the like as plain errors
        line = _duplicate_line(text, str(exc))
        stop_build(f"{path}:{line}: {exc}")
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
    return not warned


def setup_bibcheck(app: Sphinx) -> None:
    # Priority 400: before sphinxcontrib-bibtex parses the files at the default 500.
    app.connect("builder-inited", check_bibliography, priority=400)
