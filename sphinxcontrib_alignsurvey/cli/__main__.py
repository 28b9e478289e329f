"""``python -m sphinxcontrib_alignsurvey.cli``: the same as the ``alignsurvey`` script."""

import sys

from . import main

sys.exit(main())
