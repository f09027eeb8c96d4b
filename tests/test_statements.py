"""Statements of a claim by named people: validation, verification, and the pages built from them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import warnings_of

GOOD = "test-statements"
PAGE = "claims/first.md"


def _copy(rootdir: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(rootdir / GOOD, dest)
    return dest


def _build(make_app, srcdir: Path):  # type: ignore[no-untyped-def]
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    return app, warnings_of(app._warning)


def _text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_good_root_builds_without_warnings(make_app, rootdir: Path, tmp_path: Path) -> None:
    _app, warnings = _build(make_app, _copy(rootdir, tmp_path))
    assert warnings == ""


# Each case: the file to edit, the text replaced, its replacement, the line reported, the message.
CASES = [
    ("unknown-person", PAGE, ":person: ivan-petrov", ":person: ivan-ivanov", 14, "unknown person 'ivan-ivanov'"),
    ("malformed-date", PAGE, ":date: 2010-05-01", ":date: 1 May 2010", 15, "date must be an ISO date YYYY-MM-DD"),
    ("date-outside-office", PAGE, ":date: 2010-05-01", ":date: 2003-05-01", 15, "held no office of the registry on"),
    ("no-source", PAGE, ":source: agency-en{para. 2}\n", "", 13, "missing required field(s): source"),
    (
        "no-words",
        PAGE,
        ":words: NATO promised us that it would not move one inch to the east\n",
        "",
        13,
        "field(s): words",
    ),
    ("bad-source", PAGE, ":source: agency-en{para. 2}", ":source: agency-en", 18, "source must be one key{locator}"),
    (
        "original-without-passage",
        PAGE,
        ":original-source: agency-ru{para. 2}",
        ":original-source: agency-ru{para. 9}",
        21,
        "has no passage 'para. 9'",
    ),
    (
        "original-without-source",
        PAGE,
        ":original-source: agency-ru{para. 2}\n",
        "",
        21,
        "original and original-source go together",
    ),
    (
        "words-mismatch",
        PAGE,
        "not move one inch",
        "not move one mile",
        19,
        "quotation does not match agency-en{para. 2}",
    ),
    (
        "own-translation-alone",
        PAGE,
        ":original: Расширение альянса угрожает нашей безопасности\n:original-source: agency-ru{para. 5}\n",
        "",
        32,
        "the reference's own translation needs the Russian original",
    ),
    (
        "duplicate-id",
        PAGE,
        "smirnova-2016-02-10",
        "petrov-2010-05-01",
        26,
        "duplicate statement ID 'petrov-2010-05-01'",
    ),
    ("unknown-person-page", "people/anna-smirnova.md", "anna-smirnova", "anna-smirnov", 1, "person page for unknown"),
]


@pytest.mark.parametrize(("case", "file", "old", "new", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_statement_is_an_error_naming_file_and_line(
    make_app, rootdir: Path, tmp_path: Path, case: str, file: str, old: str, new: str, line: int, message: str
) -> None:
    srcdir = _copy(rootdir, tmp_path)
    path = srcdir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _app, warnings = _build(make_app, srcdir)
    found = next((w for w in warnings.splitlines() if message in w), None)
    assert found is not None, warnings
    assert f"{file}:{line}" in found, found


def test_one_word_changed_in_the_cyrillic_fails(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = _copy(rootdir, tmp_path)
    path = srcdir / PAGE
    path.write_text(path.read_text(encoding="utf-8").replace("ни на дюйм", "ни на метр"), encoding="utf-8")
    _app, warnings = _build(make_app, srcdir)
    assert "quotation does not match agency-ru{para. 2}" in warnings
    assert "[-метр-]" in warnings or "метр" in warnings, warnings


def test_too_few_statements_is_an_error(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = _copy(rootdir, tmp_path)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text().replace("claimref_min_statements = 1", "claimref_min_statements = 3"))
    _app, warnings = _build(make_app, srcdir)
    assert "claims/first.md:3" in warnings and "records 2 statement(s); at least 3" in warnings


def test_person_without_a_page_is_an_error(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = _copy(rootdir, tmp_path)
    (srcdir / "people" / "anna-smirnova.md").unlink()
    _app, warnings = _build(make_app, srcdir)
    assert "people.yaml:12" in warnings and "person 'anna-smirnova' has no page" in warnings


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("from: '2015-08'", "from: 'August 2015'", "people.yaml:17: anna-smirnova: from must be YYYY"),
        ("  name: Anna Smirnova\n", "", "people.yaml:12: anna-smirnova: name is required"),
        ("to: '2012'", "to: '2001'", "people.yaml:7: ivan-petrov: office 'Minister of Foreign Affairs' ends"),
    ],
)
def test_malformed_registry_stops_the_build_naming_file_and_line(
    make_app, rootdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    srcdir = _copy(rootdir, tmp_path)
    registry = srcdir / "people.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        make_app("html", srcdir=srcdir, freshenv=True).build()
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_statement_renders_words_original_and_attribution(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, _ = _build(make_app, _copy(rootdir, tmp_path))
    html = (Path(app.outdir) / "claims" / "first.html").read_text(encoding="utf-8")
    assert 'id="statement-petrov-2010-05-01"' in html
    assert '<blockquote class="statement-original claimref-quote" lang="ru">' in html
    text = _text(Path(app.outdir) / "claims" / "first.html")
    assert "“NATO promised us that it would not move one inch to the east”" in text
    assert "— Ivan Petrov , Minister of Foreign Affairs. Press conference, Moscow, 1 May 2010." in text
    assert "English: Agency’s English service." in text or "English: Agency's English service." in text
    assert "«НАТО обещало нам не продвигаться ни на дюйм на восток»" in text
    assert "Translation by the reference." in text
    # The office is the one held on the day: 2016 falls in Smirnova's only office.
    assert "Anna Smirnova , Spokeswoman of the Ministry. Weekly briefing, 10 February 2016." in text


def test_chronology_and_person_pages_show_the_model(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, _ = _build(make_app, _copy(rootdir, tmp_path))
    out = Path(app.outdir)
    chronology = _text(out / "chronology.html")
    assert "2 statements by 2 people, on 1 claim, 2010–2016." in chronology
    first, second = chronology.index("1 May 2010"), chronology.index("10 February 2016")
    assert first < second
    assert "Ivan Petrov" in chronology[first:second] and "Title of first" in chronology[first:second]
    person = (out / "people" / "ivan-petrov.html").read_text(encoding="utf-8")
    assert 'id="person-ivan-petrov"' in person
    person_text = _text(out / "people" / "ivan-petrov.html")
    assert "<h1>" in person and "Ivan Petrov" in person_text.split("Offices")[0]
    assert "Иван Петров" in person_text
    assert "Minister of Foreign Affairs, 2004-03-09–2012" in person_text
    assert "Ambassador to NATO, since 2012-06" in person_text
    assert "https://example.org/petrov" in person_text
    assert "1 May 2010" in person_text and "10 February 2016" not in person_text
    assert 'href="../claims/first.html#statement-petrov-2010-05-01"' in person
    people = _text(out / "people" / "index.html")
    assert "Ivan Petrov (Иван Петров): Ambassador to NATO, since 2012-06; 1 statement." in people


def test_dataset_lists_every_statement_and_validates(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, _ = _build(make_app, _copy(rootdir, tmp_path))
    out = Path(app.outdir)
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads((out / "claims.schema.json").read_text(encoding="utf-8")))
    (claim,) = data["claims"]
    assert [s["id"] for s in claim["statements"]] == ["petrov-2010-05-01", "smirnova-2016-02-10"]
    first, second = claim["statements"]
    assert first["verdict"] == "verified" and first["original_verdict"] == "verified"
    assert first["office"] == "Minister of Foreign Affairs" and first["name_ru"] == "Иван Петров"
    assert first["source"] == {
        "key": "agency-en",
        "locator": "para. 2",
        "title": "Minister speaks",
        "url": "https://example.org/agency-en",
    }
    assert second["verdict"] == "own-translation" and second["translation"] == "reference"
    assert claim["attribution"] == {
        "claimant": "Ivan Petrov, Minister of Foreign Affairs",
        "date": "2010-05-01",
        "appearance": first["source"],
    }
    csv = (out / "claims.csv").read_text(encoding="utf-8")
    assert "2010-05-01 Ivan Petrov: NATO promised us" in csv and "[own-translation]" in csv


def test_claim_review_item_is_the_earliest_statement(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, _ = _build(make_app, _copy(rootdir, tmp_path))
    html = (Path(app.outdir) / "claims" / "first.html").read_text(encoding="utf-8")
    payload = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    assert payload is not None
    item = json.loads(payload.group(1))["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Ivan Petrov", "jobTitle": "Minister of Foreign Affairs"}
    assert item["datePublished"] == "2010-05-01"
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "name": "Minister speaks",
        "url": "https://example.org/agency-en",
    }


def test_people_and_statements_are_inventory_objects(make_app, rootdir: Path, tmp_path: Path) -> None:
    from sphinx.util.inventory import InventoryFile

    app, _ = _build(make_app, _copy(rootdir, tmp_path))
    inventory = InventoryFile.loads((Path(app.outdir) / "objects.inv").read_bytes(), uri="")
    data = getattr(inventory, "data", inventory)
    assert "people/ivan-petrov.html" in str(data["claim:person"]["ivan-petrov"])
    assert "#statement-petrov-2010-05-01" in str(data["claim:statement"]["petrov-2010-05-01"])
    assert "#statement-petrov-2010-05-01" in str(data["std:label"]["statement-petrov-2010-05-01"])
    assert "#person-ivan-petrov" in str(data["std:label"]["person-ivan-petrov"])
