"""Documentation of sphinxcontrib-alignsurvey, built with the extension itself."""

project = "sphinxcontrib-alignsurvey"
author = "sphinxcontrib-alignsurvey developers"
copyright = "2025, sphinxcontrib-alignsurvey developers"
from sphinxcontrib_alignsurvey import __version__

version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.graphviz",
    "sphinxcontrib.bibtex",
    "sphinxcontrib_alignsurvey",
]
autodoc_typehints = "description"
autodoc_member_order = "bysource"
alignsurvey_bibtex_file = "_generated/references.bib"
bibtex_bibfiles = ["_generated/references.bib"]

html_theme = "alabaster"
html_theme_options = {"page_width": "1100px", "sidebar_width": "230px"}
graphviz_output_format = "svg"
exclude_patterns = ["_build", "_generated"]
