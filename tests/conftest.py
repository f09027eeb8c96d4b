"""Shared fixtures: Sphinx's own testing fixtures with this project's roots."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def warnings_of(warning) -> str:  # type: ignore[no-untyped-def]
    """The build's warnings with colour codes stripped."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
