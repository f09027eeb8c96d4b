"""The extension's configuration: one dataclass, each field registered as ``claimref_<name>``."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util.docutils import SphinxDirective

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug_mapping(name: str, value: Any) -> None:
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"claimref_{name} must be a non-empty dict of slug -> title")
    for key, title in value.items():
        if not isinstance(key, str) or not _SLUG.match(key):
            raise ConfigError(f"claimref_{name}: {key!r} is not a lowercase hyphenated slug")
        if not isinstance(title, str) or not title.strip():
            raise ConfigError(f"claimref_{name}: {key!r} needs a non-empty title")


def _string(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ConfigError(f"claimref_{name} must be a string, not {type(value).__name__}")


def _count(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"claimref_{name} must be a whole number >= 0, not {value!r}")


def _flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ConfigError(f"claimref_{name} must be True or False, not {value!r}")


def _base_url(name: str, value: Any) -> None:
    _string(name, value)
    if value and not re.match(r"^https?://[^\s]+/$", value):
        raise ConfigError(f"claimref_{name} must be an http(s) URL ending in '/', got {value!r}")


def _field(default: Any, validator: Callable[[str, Any], None], help_text: str) -> Any:
    return dataclasses.field(
        default_factory=lambda: default,
        metadata={"validator": validator, "help": help_text},
    )


@dataclasses.dataclass
class ClaimrefConfig:
    """Every option of the extension, with its default, validator and help text."""

    themes: dict[str, str] = _field(
        {},
        _slug_mapping,
        "Theme slug -> title. A claim's ``:themes:`` must name these; each theme has one page.",
    )
    source_kinds: dict[str, str] = _field(
        {
            "treaty": "Treaties and agreements",
            "un": "UN resolutions and reports",
            "nato": "NATO declarations and documents",
            "osce": "OSCE and CSCE documents",
            "legal": "Court and legal opinions",
            "law": "National legislation",
            "record": "Records of conversations and archival documents",
            "statement": "Statements, speeches and interviews",
            "news": "News and agency reports",
            "scholarship": "Scholarship",
            "seed": "The seed documents",
        },
        _slug_mapping,
        "Value of a bib entry's ``kind`` field -> heading on the Sources page, in display order.",
    )
    sources_dir: str = _field(
        "../sources",
        _string,
        "Folder of source-passage files (``<bib key>.yaml``), relative to the Sphinx source dir.",
    )
    people_file: str = _field(
        "people.yaml",
        _string,
        "The people registry (who made the claims, with their offices), relative to the Sphinx source dir.",
    )
    min_statements: int = _field(
        0,
        _count,
        "Each claim page must record at least this many dated statements (``claim-statement``).",
    )
    base_url: str = _field(
        "",
        _base_url,
        "Published address of the reference, for permalinks (ends in '/'); empty: no permalink.",
    )
    release: str = _field("", _string, "The reference's release, e.g. 2026.11.")
    release_site: bool = _field(
        False,
        _flag,
        "The build is the live site of a release (make release): every page links to its frozen copy "
        "under /<release>/.",
    )
    frozen: bool = _field(
        False,
        _flag,
        "The build is the frozen copy of its release, served under /<release>/ (make release): every "
        "page says so and links to the live reference.",
    )
    pagefind: bool = _field(
        False,
        _flag,
        "After an HTML build, index it with Pagefind (exact-phrase search); the search page then uses it.",
    )
    pagefind_shard_pages: int = _field(
        250,
        _count,
        "Pages in each shard of the Pagefind index (0: one index): a rebuild indexes again only the "
        "shards where a page changed, and the search page searches them all.",
    )
    changelog: str = _field(
        "changelog.md",
        _string,
        "The changelog, relative to the Sphinx source dir; its front matter lists each release's changed "
        "pages and corrections, from which every page's dates are derived.",
    )
    license: str = _field(
        "CC-BY-4.0",
        _string,
        "SPDX identifier of the licence of the reference's text and data (stated in pages, metadata and claims.json).",
    )
    license_url: str = _field(
        "https://creativecommons.org/licenses/by/4.0/",
        _string,
        "The address of that licence.",
    )
    furo_navigation: bool = _field(
        True,
        _flag,
        "Compute Furo's navigation tree once per build and render each page's copy from it "
        "(False: Furo resolves it again on every page, which costs O(N²) in N pages).",
    )
    parallel_write: bool = _field(
        True,
        _flag,
        "With -j N, N workers resolve and write the pages, each its own chunk, and the main process "
        "merges their search-index entries (False: Sphinx's own parallel writer, where the main "
        "process resolves every page for N - 1 workers).",
    )


def _fields() -> list[dataclasses.Field[Any]]:
    return list(dataclasses.fields(ClaimrefConfig))


def options_table() -> list[tuple[str, str, str]]:
    """Rows (name, default, help) for the docs' options table."""
    defaults = ClaimrefConfig()
    return [(f"claimref_{f.name}", repr(getattr(defaults, f.name)), f.metadata["help"]) for f in _fields()]


def check_config(app: Sphinx, config: Config) -> None:
    """Validate every ``claimref_*`` value; a bad one is a ConfigError naming the key."""
    for f in _fields():
        f.metadata["validator"](f.name, getattr(config, f"claimref_{f.name}"))


def get_config(config: Config) -> ClaimrefConfig:
    return ClaimrefConfig(**{f.name: getattr(config, f"claimref_{f.name}") for f in _fields()})


def setup_config(app: Sphinx) -> None:
    defaults = ClaimrefConfig()
    for f in _fields():
        default = getattr(defaults, f.name)
        app.add_config_value(f"claimref_{f.name}", default, "env", types=frozenset({type(default)}))
    # Priority 800: after Sphinx's own config checks, before builder-inited.
    app.connect("config-inited", check_config, priority=800)
    app.add_directive("claimref-options", ConfigOptionsDirective)


class ConfigOptionsDirective(SphinxDirective):
    """``claimref-options``: the options table, generated from :class:`ClaimrefConfig`."""

    def run(self) -> list[nodes.Node]:
        table = nodes.table()
        group = nodes.tgroup(cols=3)
        table += group
        for width in (20, 25, 55):
            group += nodes.colspec(colwidth=width)
        head = nodes.row()
        for text in ("option", "default", "meaning"):
            head += nodes.entry("", nodes.paragraph(text, text))
        group += nodes.thead("", head)
        body = nodes.tbody()
        for name, default, help_text in options_table():
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", "", nodes.literal(name, name)))
            shown = default if len(default) < 60 else default[:57] + "..."
            row += nodes.entry("", nodes.paragraph("", "", nodes.literal(shown, shown)))
            row += nodes.entry("", nodes.paragraph(help_text, help_text.replace("``", "")))
            body += row
        group += body
        return [table]
