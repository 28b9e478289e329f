extensions = ["sphinxcontrib_alignsurvey"]
project = "Flagged"
alignsurvey_sources = ["survey.md"]
exclude_patterns = ["survey.md"]
