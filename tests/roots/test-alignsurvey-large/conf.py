extensions = ["sphinxcontrib_alignsurvey"]
project = "Large"
author = "Tester"
graphviz_output_format = "svg"
latex_documents = [("index", "large.tex", "Large", "Tester", "manual")]
