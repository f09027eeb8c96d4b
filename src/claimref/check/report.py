"""Reports: text (with a summary table), JSON lines, or JUnit XML."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .links import Status


@dataclass(frozen=True)
class Row:
    """One verdict: a quotation, a link (at one place it is cited), or an internal anchor."""

    type: str  # quotation | link | anchor | drift
    file: str
    line: int
    status: str
    reason: str
    fields: dict[str, str]
    passes: bool
    unchecked: bool = False


def link_status_passes(status: Status) -> bool:
    return status.passes


def render_text(rows: list[Row], notes: list[str]) -> str:
    out: list[str] = []
    for row in rows:
        if row.status in {"redirected", "archived"}:
            # Passes, but worth a reader's attention: update the address, or note the blocked site.
            out.append(f"{row.file}:{row.line}: link {row.status}: {row.fields['url']}: {row.reason}")
        if row.passes or row.unchecked:
            continue
        cited = f"{row.fields.get('key', '')}{{{row.fields.get('locator', '')}}}"
        what = f"{cited} at {row.fields['url']}" if row.type == "drift" else row.fields.get("url") or cited
        out.append(f"{row.file}:{row.line}: {row.type} {row.status}: {what}: {row.reason}")
        if row.fields.get("nearest"):
            out.append(f"    nearest source text: {row.fields['nearest']}")
            out.append(f"    diff ([-source-] {{+quoted+}}): {row.fields['diff']}")
        if row.fields.get("text") and row.type == "quotation":
            out.append(f"    quoted: {row.fields['text']}")
    out.extend(notes)
    counts = Counter((row.type, row.status) for row in rows)
    if counts:
        out.append("")
        out.append(f"{'check':<12} {'status':<16} {'count':>6}")
        for (kind, status), count in sorted(counts.items()):
            out.append(f"{kind:<12} {status:<16} {count:>6}")
    failed = sum(1 for r in rows if not r.passes and not r.unchecked)
    passed = sum(1 for r in rows if r.passes)
    out.append(
        f"{passed} passed, {failed} failed"
        + (f", {sum(r.unchecked for r in rows)} unchecked" if any(r.unchecked for r in rows) else "")
    )
    return "\n".join(out) + "\n"


def render_json_lines(rows: list[Row], notes: list[str]) -> str:
    lines = [
        json.dumps(
            {"type": r.type, "file": r.file, "line": r.line, "status": r.status, "reason": r.reason, **r.fields},
            ensure_ascii=False,
        )
        for r in rows
    ]
    lines.extend(json.dumps({"type": "note", "reason": note}, ensure_ascii=False) for note in notes)
    return "\n".join(lines) + "\n"


def render_junit(rows: list[Row], notes: list[str]) -> str:
    failures = sum(1 for r in rows if not r.passes and not r.unchecked)
    skipped = sum(1 for r in rows if r.unchecked)
    out = [f'<testsuite name="check_references" tests="{len(rows)}" failures="{failures}" skipped="{skipped}">']
    seen: Counter[str] = Counter()
    for r in rows:
        target = r.fields.get("url") or f"{r.fields.get('key', '')}{{{r.fields.get('locator', '')}}}"
        name = f"{r.type} {r.file}:{r.line} {target}"
        seen[name] += 1
        if seen[name] > 1:  # the same target twice on one line: each test case keeps its own name
            name += f" ({seen[name]})"
        out.append(f"  <testcase classname={quoteattr(r.type)} name={quoteattr(name)}>")
        if r.unchecked:
            out.append(f"    <skipped message={quoteattr(r.reason)}/>")
        elif not r.passes:
            details = [
                f"{label}: {r.fields[field]}"
                for label, field in (("quoted", "text"), ("nearest source text", "nearest"), ("diff", "diff"))
                if r.fields.get(field)
            ]
            body = escape("\n".join(details))
            out.append(f"    <failure message={quoteattr(r.status + ': ' + r.reason)}>{body}</failure>")
        out.append("  </testcase>")
    for note in notes:
        out.append(f"  <system-out>{quoteattr(note)[1:-1]}</system-out>")
    out.append("</testsuite>")
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json_lines, "junit": render_junit}
