"""Ask the bundled graph which works are cited alongside DPO, from Python."""

from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.queries import read

engine = open_engine()  # the bundled graph; or open_engine(["out/"]), or open_engine(endpoint=URL, timeout=30)
_, query = read("papers-for-concept")  # a bundled competency query, or the text of your own
result = engine.select(query, engine.bind(["concept=dpo"]))

print(result.columns)  # ('paper', 'title', 'sentences')
for row in result.dicts()[:3]:  # [{'paper': 'https://...', 'title': '...', 'sentences': 3}, ...]
    print(row["sentences"], row["title"])

print(engine.ask("PREFIX method: <https://w3id.org/alignsurvey/method/> ASK { method:dpo ?p ?o }"))  # True
triples = engine.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")  # (subject, predicate, object)
print(len(triples))  # 3
