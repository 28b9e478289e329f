extensions = ["sphinxcontrib_alignsurvey"]
alignsurvey_sources = ["graph.ttl"]
