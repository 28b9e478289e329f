extensions = ["sphinxcontrib_alignsurvey"]
alignsurvey_sources = ["graph.ttl"]
latex_documents = [("index", "escape.tex", "Escape", "Tester", "manual")]
