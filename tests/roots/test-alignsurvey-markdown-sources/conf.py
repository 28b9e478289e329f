extensions = ["sphinxcontrib_alignsurvey"]
alignsurvey_sources = ["tiny-survey.md"]
