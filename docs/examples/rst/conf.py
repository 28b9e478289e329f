# conf.py
extensions = ["sphinxcontrib_alignsurvey"]
