extensions = ["sphinxcontrib_alignsurvey"]
project = "Builders"
author = "Tester"
copyright = "2025, Tester"
latex_documents = [("index", "builders.tex", "Builders", "Tester", "manual")]
man_pages = [("index", "builders", "Builders", ["Tester"], 1)]
epub_copyright = "2025, Tester"
version = release = "1.0"
epub_basename = "builders"
