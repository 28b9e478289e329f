# conf.py
extensions = ["sphinxcontrib.bibtex", "sphinxcontrib_alignsurvey"]
alignsurvey_bibtex_file = "_generated/references.bib"  # written from the graph before sphinxcontrib-bibtex reads it
bibtex_bibfiles = ["_generated/references.bib"]
exclude_patterns = ["_build", "_generated"]
