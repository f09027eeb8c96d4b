"""Source passages: ``sources/<bib key>.yaml``, loaded with the line of every value kept.

A malformed file is a :class:`SourceFileError` naming the file and line; nothing
is half-loaded.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import NamedTuple

import yaml
from docutils.nodes import make_id

from .matching import match_quotation

METHODS = ("transcribed", "fetched", "supplied")
_PROVENANCE_KEYS = {"url", "obtained", "method", "copy", "sha256", "note"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: libyaml's loader where PyYAML has it (ten times faster over hundreds of files), else Python's; both keep marks.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceFileError(ValueError):
    """A malformed source-passage file; ``str()`` is ``path:line: message``."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class Provenance(NamedTuple):
    url: str
    obtained: str
    method: str
    copy: str
    sha256: str
    note: str


class Passage(NamedTuple):
    key: str
    locator: str
    text: str  # empty for a withdrawn passage
    path: str
    line: int
    withdrawn: str = ""  # ISO date: the passage was withdrawn; its anchor stays as a tombstone
    reason: str = ""

    @property
    def anchor(self) -> str:
        return passage_anchor(self.key, self.locator)


class SourceFile(NamedTuple):
    key: str
    path: str
    provenance: Provenance
    passages: tuple[Passage, ...]

    def passage(self, locator: str) -> Passage | None:
        wanted = locator_slug(locator)
        return next((p for p in self.passages if locator_slug(p.locator) == wanted), None)


def locator_slug(locator: str) -> str:
    """``Art. 5(3)`` -> ``art-5-3``; locators that differ only in punctuation are one locator."""
    return make_id(locator)


def passage_anchor(key: str, locator: str) -> str:
    return make_id(f"{key}-{locator}")


def _mapping(node: yaml.Node, path: Path, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise SourceFileError(path, node.start_mark.line + 1, f"{what} must be a mapping")
    out: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key in out:
            raise SourceFileError(path, key_node.start_mark.line + 1, f"duplicate field {key!r}")
        out[key] = value_node
    return out


def _scalar(node: yaml.Node | None, path: Path, what: str, *, required: bool = True) -> str:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        if required:
            line = node.start_mark.line + 1 if node is not None else 1
            raise SourceFileError(path, line, f"{what} is required")
        return ""
    if not isinstance(node, yaml.ScalarNode):
        raise SourceFileError(path, node.start_mark.line + 1, f"{what} must be text")
    return str(node.value).strip()


def load_source_file(path: Path) -> SourceFile:
    """Parse one source file; raise :class:`SourceFileError` on anything malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFileError(path, 1, f"cannot read: {exc}") from exc
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceFileError(path, (mark.line + 1) if mark else 1, f"not valid YAML: {exc.problem}") from exc
    if root is None:
        raise SourceFileError(path, 1, "the file is empty")
    top = _mapping(root, path, "the file")
    key = _scalar(top.get("key"), path, "key")
    if key != path.stem:
        raise SourceFileError(
            path, top["key"].start_mark.line + 1, f"key {key!r} differs from the file name {path.stem!r}"
        )
    unknown = set(top) - {"key", "provenance", "passages"}
    if unknown:
        name = sorted(unknown)[0]
        line = next(k.start_mark.line + 1 for k, _ in root.value if k.value == name)
        raise SourceFileError(path, line, f"unknown field {name!r}")
    if "provenance" not in top:
        raise SourceFileError(path, 1, "provenance is required")
    provenance = _provenance(top["provenance"], path)
    passages_node = top.get("passages")
    if not isinstance(passages_node, yaml.SequenceNode) or not passages_node.value:
        line = passages_node.start_mark.line + 1 if passages_node is not None else 1
        raise SourceFileError(path, line, "passages must be a non-empty list")
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for item in passages_node.value:
        fields = _mapping(item, path, "a passage")
        line = item.start_mark.line + 1
        extra = set(fields) - {"locator", "text", "withdrawn", "reason"}
        if extra:
            raise SourceFileError(path, line, f"unknown passage field {sorted(extra)[0]!r}")
        loc = _scalar(fields.get("locator"), path, "locator") if "locator" in fields else ""
        if not loc:
            raise SourceFileError(path, line, "a passage needs a locator")
        body = _scalar(fields.get("text"), path, "text") if "text" in fields else ""
        withdrawn = _scalar(fields.get("withdrawn"), path, "withdrawn") if "withdrawn" in fields else ""
        reason = _scalar(fields.get("reason"), path, "reason") if "reason" in fields else ""
        if withdrawn:
            try:
                datetime.date.fromisoformat(withdrawn)
            except ValueError:
                raise SourceFileError(path, line, f"passage {loc!r}: withdrawn must be an ISO date") from None
            if body or not reason:
                raise SourceFileError(path, line, f"withdrawn passage {loc!r} has a reason and no text")
        elif not body:
            raise SourceFileError(path, line, f"passage {loc!r} has no text")
        slug = locator_slug(loc)
        if slug in seen:
            raise SourceFileError(path, line, f"locator {loc!r} repeats the passage at line {seen[slug]}")
        seen[slug] = line
        passages.append(Passage(key, loc, body, str(path), line, withdrawn, reason))
    return SourceFile(key, str(path), provenance, tuple(passages))


def _provenance(node: yaml.Node, path: Path) -> Provenance:
    fields = _mapping(node, path, "provenance")
    line = node.start_mark.line + 1
    extra = set(fields) - _PROVENANCE_KEYS
    if extra:
        raise SourceFileError(path, line, f"unknown provenance field {sorted(extra)[0]!r}")
    url = _scalar(fields.get("url"), path, "provenance.url", required=False)
    copy = _scalar(fields.get("copy"), path, "provenance.copy", required=False)
    method = _scalar(fields.get("method"), path, "provenance.method")
    if method not in METHODS:
        raise SourceFileError(
            path, fields["method"].start_mark.line + 1, f"provenance.method must be one of {', '.join(METHODS)}"
        )
    # A supplied seed document names the file it was supplied as; everything else, an address.
    checked = (("url", url),) if method == "supplied" else (("url", url), ("copy", copy))
    for name, value in checked:
        if value and not re.match(r"^https?://\S+$", value):
            raise SourceFileError(path, fields[name].start_mark.line + 1, f"provenance.{name} is not an http(s) URL")
    if not url and not copy:
        raise SourceFileError(path, line, "provenance needs a url or a copy")
    obtained = _scalar(fields.get("obtained"), path, "provenance.obtained")
    try:
        datetime.date.fromisoformat(obtained)
    except ValueError:
        raise SourceFileError(
            path, fields["obtained"].start_mark.line + 1, "provenance.obtained must be an ISO date"
        ) from None
    sha256 = _scalar(fields.get("sha256"), path, "provenance.sha256", required=False)
    if method == "fetched" and not _SHA256.match(sha256):
        raise SourceFileError(path, line, "a fetched source needs the sha256 of the fetched document")
    note = _scalar(fields.get("note"), path, "provenance.note", required=False)
    return Provenance(url, obtained, method, copy, sha256, note)


def load_sources(folder: Path) -> dict[str, SourceFile]:
    """Every ``*.yaml`` under *folder*, keyed by bib key. Raises on the first bad file."""
    if not folder.is_dir():
        return {}
    return {f.stem: load_source_file(f) for f in sorted(folder.glob("*.yaml"))}


def source_anchor(key: str) -> str:
    """A bib entry's anchor on the Sources page and on the Source texts page."""
    return make_id(key)


class Judgement(NamedTuple):
    """The verdict on one quotation: the build, the checker and the dataset all use this one."""

    verdict: str  # verified | mismatch | no-source | no-passage | withdrawn
    reason: str
    nearest: str = ""
    diff: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict == "verified"


def judge_quotation(sources: dict[str, SourceFile], key: str, locator: str, text: str) -> Judgement:
    """Does *text* match the stored passage ``key{locator}`` under the matching rules?"""
    source = sources.get(key)
    if source is None:
        return Judgement("no-source", f"quotation from {key!r} has no source file sources/{key}.yaml")
    if not locator:
        return Judgement("no-passage", "the quotation has no locator")
    passage = source.passage(locator)
    if passage is None:
        known = ", ".join(p.locator for p in source.passages)
        return Judgement("no-passage", f"{source.path} has no passage {locator!r} (it has: {known})")
    if passage.withdrawn:
        return Judgement("withdrawn", f"{source.path}: passage {locator!r} was withdrawn on {passage.withdrawn}")
    result = match_quotation(text, passage.text)
    if result.ok:
        return Judgement("verified", "matches")
    reason = f"quotation does not match {key}{{{locator}}}: {result.reason}"
    return Judgement("mismatch", reason, result.nearest, result.diff)
