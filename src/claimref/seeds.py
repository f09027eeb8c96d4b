"""Paragraph numbering of the seed documents, as the reference's ``para. N`` locators count it."""

from __future__ import annotations

import re


def seed_paragraphs(text: str) -> list[str]:
    """Paragraphs blank line to blank line, whitespace folded, empty ones dropped."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]
