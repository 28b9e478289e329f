"""``python -m sphinxcontrib_alignsurvey.cli``: the same as the ``alignsurvey`` script."""

from . import run

run()
