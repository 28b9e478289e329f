"""Documentation of sphinxcontrib-alignsurvey, built with the extension itself."""

import sys
from pathlib import Path

from sphinxcontrib_alignsurvey import __version__

sys.path.insert(0, str(Path(__file__).parent / "_ext"))  # reference tables read from the code; tested examples

project = "sphinxcontrib-alignsurvey"
author = "sphinxcontrib-alignsurvey developers"
copyright = "2025, sphinxcontrib-alignsurvey developers"

version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.graphviz",
    "sphinxcontrib.bibtex",
    "sphinxcontrib_alignsurvey",
    "alignsurvey_reference",
    "alignsurvey_examples",
]
autodoc_typehints = "description"
autodoc_member_order = "bysource"
alignsurvey_bibtex_file = "_generated/references.bib"
bibtex_bibfiles = ["_generated/references.bib"]

html_theme = "alabaster"
html_theme_options = {"page_width": "1100px", "sidebar_width": "230px"}
graphviz_output_format = "svg"
# docs/examples/ holds complete example projects: shown with literalinclude, built by tests/test_docs_examples.py
exclude_patterns = ["_build", "_generated", "_ext", "_tools", "examples"]
