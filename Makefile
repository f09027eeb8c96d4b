# Two commands do everything: `make html` builds the reference, `make test` runs every test and check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPHINXOPTS ?= -W --keep-going -n
BUILD := docs/_build

.PHONY: html pdf release test check anchors lint bench clean
AXE := tests/node_modules/axe-core/axe.min.js

$(BIN)/sphinx-build: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

html: $(BIN)/sphinx-build
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) docs $(BUILD)/html

pdf: $(BIN)/sphinx-build
	$(BIN)/sphinx-build -b latex $(SPHINXOPTS) docs $(BUILD)/latex
	$(MAKE) -C $(BUILD)/latex LATEXMKOPTS="-interaction=nonstopmode -halt-on-error" all-pdf
	@# Every link in the PDF must land somewhere: an undefined reference fails the build.
	@! grep -E "(Hyper r|R)eference .* undefined" $(BUILD)/latex/claimref.log || \
	  (echo "make pdf: undefined references in $(BUILD)/latex/claimref.log (above)"; exit 1)

# The live site and the frozen copy of this release under /<release>/, in docs/_build/site;
# .zenodo.json and releases/<release>/anchors.json are written for the release commit.
release: $(BIN)/sphinx-build
	$(BIN)/python scripts/release.py --site $(BUILD)/site $(if $(REPLACE),--replace)

check: html
	$(BIN)/python scripts/check_references.py all --offline
	$(BIN)/python scripts/anchors.py check
	$(BIN)/python scripts/source_stats.py --strict

# After adding pages or passages: record their anchors as published (never removes one).
anchors: html
	$(BIN)/python scripts/anchors.py update

lint: $(BIN)/sphinx-build
	$(BIN)/ruff check src scripts tests
	$(BIN)/ruff format --check src scripts tests
	$(BIN)/mypy

# axe-core for the accessibility tests, pinned by tests/package-lock.json.
$(AXE): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund --loglevel=error
	touch $@

# The checker runs before pytest so that pytest's summary is the last line printed.
test: $(BIN)/sphinx-build $(AXE) lint check
	$(BIN)/pytest

bench: $(BIN)/sphinx-build
	$(BIN)/python scripts/bench_build.py
	$(BIN)/python scripts/bench_linkcheck.py

clean:
	rm -rf $(BUILD)
