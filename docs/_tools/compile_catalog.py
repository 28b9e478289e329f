"""Compile the bundled graph's catalog for the Sphinx extension (after converting the bundled surveys).

    python docs/_tools/compile_catalog.py

``tests/test_sphinx_sources.py`` fails while the compiled catalog differs from a fresh one.
"""

from sphinxcontrib_alignsurvey.sphinxext.sources import compile_bundled_catalog

if __name__ == "__main__":
    print(compile_bundled_catalog())
