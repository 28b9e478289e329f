"""The alignment handbook: a small documentation site built from the bundled graph."""

project = "Alignment handbook"
author = "sphinxcontrib-alignsurvey developers"
copyright = "2025, sphinxcontrib-alignsurvey developers"
version = release = "0.1"

extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinxcontrib_alignsurvey"]

# No alignsurvey_sources: the bundled graph (two converted surveys + vocabularies) is used.
alignsurvey_bibtex_file = "_generated/references.bib"
bibtex_bibfiles = ["_generated/references.bib"]
bibtex_default_style = "plain"

html_theme = "alabaster"
html_theme_options = {"page_width": "1100px", "sidebar_width": "230px"}
graphviz_output_format = "svg"
exclude_patterns = ["_build"]
latex_documents = [("index", "handbook.tex", "Alignment handbook", author, "manual")]
man_pages = [("index", "alignment-handbook", "Alignment handbook", [author], 7)]
