extensions = ["myst_parser", "claimref"]
bibtex_bibfiles = ["refs.bib"]
html_theme = "furo"
claimref_themes = {"alpha": "Alpha"}
