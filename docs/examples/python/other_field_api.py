"""Convert a survey of another field with its own vocabulary, from Python."""

from pathlib import Path

from sphinxcontrib_alignsurvey.convert import convert
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary

HERE = Path(__file__).resolve().parents[3] / "examples" / "other-field"

mine = load_vocabulary([HERE / "federated-learning.ttl"])  # yours alone
both = load_vocabulary(extra=[HERE / "federated-learning.ttl"])  # added to the bundled schemes
conversion = convert([HERE / "federated-learning-survey.md"], mine)
print(len(mine.concepts) < len(both.concepts), conversion.build.mentions > 0)
