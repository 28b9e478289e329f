extensions = ["sphinx.ext.intersphinx", "sphinxcontrib_alignsurvey"]
# the mapping is set by the test (the other project's build directory)
