"""The package version, in the base layer so every layer can stamp it without importing the root.

Why its own module: ``graph`` records the version in provenance and ``sphinxext``
declares it to Sphinx; importing it from the package root would make the
converter import the root's Sphinx entry point.
"""

__version__ = "0.1.0"
