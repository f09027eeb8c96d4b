extensions = ["myst_parser", "claimref"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["refs.bib"]
claimref_themes = {"alpha": "Alpha theme"}
claimref_sources_dir = "sources"
claimref_min_statements = 1
release = "2026.12"
claimref_release = release
