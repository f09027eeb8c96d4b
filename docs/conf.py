"""Sphinx configuration for the reference."""

from __future__ import annotations

import datetime
import os
from urllib.parse import urlsplit

project = "Russian claims about NATO: an annotated citation reference"
author = "The claimref editors"
release = version = "2026.12"
copyright = f"2026, {author}"
today = os.environ.get("CLAIMREF_DATE", datetime.date.today().isoformat())

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "claimref",
    "sphinxext.opengraph",
    "notfound.extension",
]
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
# The published address, for permalinks, ClaimReview, OpenGraph and the sitemap; set when publishing.
claimref_base_url = os.environ.get("CLAIMREF_BASE_URL", "")
claimref_release = release
# Exact-phrase search: the HTML build ends by indexing the site with Pagefind.
claimref_pagefind = True

# The sitemap needs absolute addresses, so it is built once the published address is known.
if claimref_base_url:
    extensions.append("sphinx_sitemap")
    sitemap_url_scheme = "{link}"
    sitemap_excludes = ["404.html", "search.html", "genindex.html"]
ogp_site_url = claimref_base_url
ogp_site_name = "Russian claims about NATO"
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}  # cards need matplotlib and fonts; the page text is enough
notfound_urls_prefix = urlsplit(claimref_base_url).path or "/"

html_theme = "furo"
html_title = f"Russian claims about NATO, release {release}"
html_baseurl = claimref_base_url
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
% The contents are headed "Contents", not with the first toctree's caption.
\addto\captionsenglish{\renewcommand{\contentsname}{Contents}}
% Room for two-digit chapter numbers and three-digit page numbers in the contents.
\makeatletter
\patchcmd{\l@chapter}{1.5em}{2.3em}{}{}
\renewcommand{\@pnumwidth}{2.2em}
\renewcommand{\@tocrmarg}{3.2em}
\makeatother
"""
    + rf"""\hypersetup{{pdftitle={{Russian claims about NATO: an annotated citation reference}},
            pdfauthor={{The claimref editors}}, pdfsubject={{Release {release}}}}}
""",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
}
