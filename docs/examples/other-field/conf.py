# conf.py of a project that shows a survey of another field with its own vocabulary
extensions = ["sphinxcontrib_alignsurvey"]
alignsurvey_sources = ["../../../examples/other-field/federated-learning-survey.md"]
alignsurvey_vocabularies = ["../../../examples/other-field/federated-learning.ttl"]
alignsurvey_bundled_vocabulary = False
