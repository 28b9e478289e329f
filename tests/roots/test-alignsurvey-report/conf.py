extensions = ["sphinxcontrib_alignsurvey"]
