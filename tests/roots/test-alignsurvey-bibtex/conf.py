extensions = ["sphinxcontrib.bibtex", "sphinxcontrib_alignsurvey"]
alignsurvey_bibtex_file = "_generated/references.bib"
bibtex_bibfiles = ["_generated/references.bib"]
