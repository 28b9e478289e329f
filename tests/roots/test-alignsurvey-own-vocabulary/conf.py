extensions = ["sphinxcontrib_alignsurvey"]
alignsurvey_sources = ["data/crop-survey.md"]
alignsurvey_vocabularies = ["data/crops.ttl"]
alignsurvey_bundled_vocabulary = False
exclude_patterns = ["data", "_build"]
