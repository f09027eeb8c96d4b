extensions = ["myst_parser", "claimref"]
bibtex_bibfiles = ["refs.bib"]
claimref_themes = {"alpha": "Alpha theme", "beta": "Beta theme"}
claimref_sources_dir = "sources"
