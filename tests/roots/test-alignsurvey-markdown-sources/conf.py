extensions = ["sphinxcontrib_alignsurvey"]
alignsurvey_sources = ["surveys/tiny-survey.md"]
# the survey is data for the extension, not a page of this project
exclude_patterns = ["surveys", "_build"]
