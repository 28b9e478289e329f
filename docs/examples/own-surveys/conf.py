# conf.py
extensions = ["sphinxcontrib_alignsurvey"]
# Your surveys (converted when the docs are built) and concepts of your own, instead of the bundled graph.
alignsurvey_sources = ["surveys/reward-models.md", "my-concepts.ttl"]
exclude_patterns = ["_build", "surveys"]
