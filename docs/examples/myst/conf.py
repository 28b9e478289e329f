# conf.py
extensions = ["myst_parser", "sphinxcontrib_alignsurvey"]
