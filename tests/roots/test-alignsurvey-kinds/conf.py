extensions = ["sphinxcontrib_alignsurvey"]
project = "Kinds"
