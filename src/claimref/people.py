"""The people registry: ``docs/people.yaml``, loaded with the line of every person kept.

Each person has an ID (the key), a name, a name in Russian, and offices with
their dates; a statement's date must fall inside one of its person's offices.
A malformed registry is a :class:`~claimref.passages.SourceFileError` naming
file and line; nothing is half-loaded.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import NamedTuple

import yaml

from .passages import YAML_LOADER, SourceFileError, _mapping, _scalar

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: An office's bound may be a year, a month or a day: ``2012``, ``2012-05``, ``2012-05-22``.
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_PERSON_KEYS = {"name", "name_ru", "offices", "source", "note"}
_OFFICE_KEYS = {"office", "from", "to"}


class Office(NamedTuple):
    title: str
    start: str  # partial ISO date
    end: str  # partial ISO date; empty while in office

    def holds(self, date: str) -> bool:
        """Does the ISO *date* fall inside this office (bounds compared at their own precision)?"""
        return date[: len(self.start)] >= self.start and (not self.end or date[: len(self.end)] <= self.end)

    @property
    def span(self) -> str:
        return f"{self.start}\u2013{self.end}" if self.end else f"since {self.start}"


class Person(NamedTuple):
    id: str
    name: str
    name_ru: str
    offices: tuple[Office, ...]
    source: str
    note: str
    path: str
    line: int

    def office_on(self, date: str) -> Office | None:
        """The office held on *date* (the latest to begin, where two overlap)."""
        held = [o for o in self.offices if o.holds(date)]
        return max(held, key=lambda o: o.start) if held else None

    @property
    def anchor(self) -> str:
        return f"person-{self.id}"


def _partial_date(node: yaml.Node | None, path: Path, what: str, *, required: bool) -> str:
    value = _scalar(node, path, what, required=required)
    if not value:
        return ""
    line = node.start_mark.line + 1 if node is not None else 1
    if not _PARTIAL_DATE.match(value):
        raise SourceFileError(path, line, f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    try:
        datetime.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError:
        raise SourceFileError(path, line, f"{what} {value!r} is not a date") from None
    return value


def _office(node: yaml.Node, path: Path, who: str) -> Office:
    fields = _mapping(node, path, f"an office of {who}")
    line = node.start_mark.line + 1
    extra = set(fields) - _OFFICE_KEYS
    if extra:
        raise SourceFileError(path, line, f"unknown office field {sorted(extra)[0]!r}")
    if "office" not in fields or "from" not in fields:
        raise SourceFileError(path, line, f"{who}: an office needs 'office' (its title) and 'from'")
    title = _scalar(fields.get("office"), path, f"{who}: office")
    start = _partial_date(fields.get("from"), path, f"{who}: from", required=True)
    end = _partial_date(fields.get("to"), path, f"{who}: to", required=False)
    if end and end < start[: len(end)]:
        line = fields["to"].start_mark.line + 1
        raise SourceFileError(path, line, f"{who}: office {title!r} ends ({end}) before it begins ({start})")
    return Office(title, start, end)


def load_people(path: Path) -> dict[str, Person]:
    """Parse the registry; an absent file is an empty registry."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFileError(path, 1, f"cannot read: {exc}") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceFileError(path, (mark.line + 1) if mark else 1, f"not valid YAML: {exc.problem}") from exc
    if root is None:
        return {}
    people: dict[str, Person] = {}
    for key_node, value_node in root.value if isinstance(root, yaml.MappingNode) else []:
        person_id, line = str(key_node.value), key_node.start_mark.line + 1
        if not _ID.match(person_id):
            raise SourceFileError(path, line, f"person ID {person_id!r} is not a lowercase hyphenated slug")
        if person_id in people:
            raise SourceFileError(
                path, line, f"person {person_id!r} repeats the entry at line {people[person_id].line}"
            )
        fields = _mapping(value_node, path, f"person {person_id!r}")
        extra = set(fields) - _PERSON_KEYS
        if extra:
            raise SourceFileError(path, line, f"{person_id}: unknown field {sorted(extra)[0]!r}")
        for required in ("name", "offices"):
            if required not in fields:
                raise SourceFileError(path, line, f"{person_id}: {required} is required")
        offices_node = fields.get("offices")
        if not isinstance(offices_node, yaml.SequenceNode) or not offices_node.value:
            raise SourceFileError(path, line, f"{person_id}: offices must be a non-empty list")
        people[person_id] = Person(
            person_id,
            _scalar(fields.get("name"), path, f"{person_id}: name"),
            _scalar(fields.get("name_ru"), path, f"{person_id}: name_ru", required=False),
            tuple(_office(o, path, person_id) for o in offices_node.value),
            _scalar(fields.get("source"), path, f"{person_id}: source", required=False),
            _scalar(fields.get("note"), path, f"{person_id}: note", required=False),
            str(path),
            line,
        )
    if not isinstance(root, yaml.MappingNode):
        raise SourceFileError(path, root.start_mark.line + 1, "the registry must be a mapping of person ID -> person")
    return people
