"""The editorial record: the error-report form, the licences, CITATION.cff, and where the
editorial standards page is linked from."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "report-an-error.yml"

#: What GitHub's issue-form syntax allows (docs: "Syntax for issue forms", "Syntax for GitHub's form schema").
FORM_KEYS = {"name", "description", "title", "labels", "assignees", "body", "projects", "type"}
FIELD_TYPES = {"markdown", "textarea", "input", "dropdown", "checkboxes"}


def test_error_report_form_is_a_valid_issue_form() -> None:
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    assert set(form) <= FORM_KEYS and form["name"] and form["description"]
    ids = []
    for field in form["body"]:
        assert field["type"] in FIELD_TYPES
        if field["type"] == "markdown":
            assert field["attributes"]["value"].strip()
            continue
        assert re.fullmatch(r"[a-z][a-z0-9_-]*", field["id"]) and field["attributes"]["label"]
        ids.append(field["id"])
        if field["type"] == "dropdown":
            assert len(field["attributes"]["options"]) >= 2
    assert len(ids) == len(set(ids))
    required = {f["id"] for f in form["body"] if f.get("validations", {}).get("required")}
    assert {"page", "wrong", "source"} <= required
    assert yaml.safe_load((FORM.parent / "config.yml").read_text()) == {"blank_issues_enabled": True}


def test_licences_and_citation_file_agree_with_the_project() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and (REPO / "LICENSE").read_text().startswith("MIT License")
    content = (REPO / "LICENSE-CONTENT.md").read_text()
    assert "CC-BY-4.0" in content and "https://creativecommons.org/licenses/by/4.0/legalcode" in content
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["version"] == project["version"]
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    assert cff["authors"] == [{"name": "The claimref editors"}]
    conf = (REPO / "docs" / "conf.py").read_text()
    assert f'project = "{cff["title"]}"' in conf and 'author = "The claimref editors"' in conf


def test_editorial_page_is_in_the_toctree_and_linked_from_how_to_cite() -> None:
    index = (REPO / "docs" / "index.md").read_text()
    about = index[index.index(":caption: About this reference") :]
    assert re.search(r"^editorial$", about.split("```")[0], re.M)
    assert "(editorial.md)" in (REPO / "docs" / "how-to-cite.md").read_text()
    page = (REPO / "docs" / "editorial.md").read_text()
    for heading in ("How the claims were selected", "Corrections", "How to report an error", "The editors", "Licences"):
        assert f"## {heading}" in page
    assert "```{corrections-log}" in page and "report-an-error.yml" in page and "(method.md)" in page
