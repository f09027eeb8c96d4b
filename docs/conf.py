"""Sphinx configuration for the reference."""

from __future__ import annotations

import datetime
import os

project = "Russian claims about NATO: an annotated citation reference"
author = "The claimref editors"
release = version = "2026.11"
copyright = f"2026, {author}"
today = os.environ.get("CLAIMREF_DATE", datetime.date.today().isoformat())

extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "claimref"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 0
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"
nitpicky = True
suppress_warnings: list[str] = []

bibtex_bibfiles = ["../references.bib"]
bibtex_default_style = "plain"

claimref_themes = {
    "attitude": "NATO's attitude to Russia",
    "threat": "NATO as a \u201cthreat\u201d",
    "pledges": "Promises and pledges",
    "enlargement": "Enlargement",
    "bases": "Bases and infrastructure",
    "operations": "Operations",
    "ukraine": "Ukraine and Crimea",
}
claimref_sources_dir = "../sources"
claimref_base_url = ""
claimref_release = release

html_theme = "furo"
html_title = "Russian claims about NATO"
html_baseurl = ""
html_static_path = ["_static"]
html_css_files = ["claimref.css"]
html_permalinks = True
html_theme_options = {"navigation_with_keys": True}

latex_engine = "xelatex"
latex_documents = [("index", "claimref.tex", project, author, "manual")]
latex_show_urls = "no"
latex_use_xindy = False
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "fontpkg": r"""
\setmainfont{DejaVu Serif}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}
""",
    "preamble": r"""
\hypersetup{pdftitle={Russian claims about NATO: an annotated citation reference},
            pdfauthor={The claimref editors}, pdfsubject={Release 2026.11}}
""",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
}
