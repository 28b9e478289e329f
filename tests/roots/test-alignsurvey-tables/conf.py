extensions = ["sphinxcontrib_alignsurvey"]
project = "Tables"
