"""Namespaces and IRI minting.

Every IRI the converter writes is built here, from stable keys only (survey
identifier, section number, normalised title digest), so the same input
always yields the same IRIs whatever order the files are given in.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode

from .grammar import PN_CHARS_BASE, PN_CHARS_EXTRA, in_ranges

BASE = "https://w3id.org/alignsurvey/"

PREFIXES: dict[str, str] = {
    "align": BASE + "ontology#",
    "method": BASE + "method/",
    "challenge": BASE + "challenge/",
    "benchmark": BASE + "benchmark/",
    "scheme": BASE + "scheme/",
    "survey": BASE + "survey/",
    "work": BASE + "work/",
    "run": BASE + "run/",
    "bibo": "http://purl.org/ontology/bibo/",
    "biro": "http://purl.org/spar/biro/",
    "c4o": "http://purl.org/spar/c4o/",
    "cito": "http://purl.org/spar/cito/",
    "dcterms": "http://purl.org/dc/terms/",
    "doco": "http://purl.org/spar/doco/",
    "fabio": "http://purl.org/spar/fabio/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vann": "http://purl.org/vocab/vann/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "sh": "http://www.w3.org/ns/shacl#",
}


class Namespace:
    """Attribute access to terms: ``ALIGN.addresses`` -> NamedNode."""

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self._cache: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self.__dict__[name] = self.term(name)  # kept as an attribute: later reads make no call
        return node

    def term(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self.iri + name)
        return node


ALIGN = Namespace(PREFIXES["align"])
BIBO = Namespace(PREFIXES["bibo"])
BIRO = Namespace(PREFIXES["biro"])
C4O = Namespace(PREFIXES["c4o"])
CITO = Namespace(PREFIXES["cito"])
DCTERMS = Namespace(PREFIXES["dcterms"])
DOCO = Namespace(PREFIXES["doco"])
FABIO = Namespace(PREFIXES["fabio"])
OA = Namespace(PREFIXES["oa"])
OWL = Namespace(PREFIXES["owl"])
PROV = Namespace(PREFIXES["prov"])
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
SKOS = Namespace(PREFIXES["skos"])
XSD = Namespace(PREFIXES["xsd"])
PRISM = Namespace(PREFIXES["prism"])


@lru_cache(maxsize=4096)  # survey ids and section keys, quoted for every sentence's IRI
def _seg(text: str) -> str:
    return quote(text, safe="-._~")


def survey_iri(sid: str) -> NamedNode:
    return NamedNode(f"{BASE}survey/{_seg(sid)}")


def section_iri(sid: str, key: str) -> NamedNode:
    return NamedNode(f"{BASE}survey/{_seg(sid)}/section/{_seg(key)}")


def sentence_iri(sid: str, index: int) -> NamedNode:
    return NamedNode(f"{BASE}survey/{_seg(sid)}/sentence/{index}")


def reference_list_iri(sid: str) -> NamedNode:
    return NamedNode(f"{BASE}survey/{_seg(sid)}/references")


def reference_iri(sid: str, number: int) -> NamedNode:
    return NamedNode(f"{BASE}survey/{_seg(sid)}/reference/{number}")


def work_key(normalised_title: str) -> str:
    """Digest of the normalised title: independent of numbering and file order."""
    import hashlib  # here: loading OpenSSL costs a cold query (which mints no work IRI) a few ms

    return hashlib.sha1(normalised_title.encode("utf-8")).hexdigest()[:12]


def work_iri(normalised_title: str) -> NamedNode:
    return NamedNode(f"{BASE}work/{work_key(normalised_title)}")


def source_iri(sha256: str) -> NamedNode:
    return NamedNode(f"{BASE}source/{sha256}")


def local_name(iri: str) -> str:
    """Last path or fragment segment: a concept's short ID."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# -- display ----------------------------------------------------------------------
_HEX = frozenset("0123456789abcdefABCDEF")


def _name_start(ch: str) -> bool:  # PN_CHARS_U
    return ch == "_" or "a" <= ch <= "z" or "A" <= ch <= "Z" or (ch > "\x7f" and in_ranges(PN_CHARS_BASE, ch))


def _name_char(ch: str) -> bool:  # PN_CHARS
    return _name_start(ch) or ch == "-" or "0" <= ch <= "9" or (ch > "\x7f" and in_ranges(PN_CHARS_EXTRA, ch))


def is_local_name(text: str) -> bool:
    """Whether *text* may follow ``prefix:`` unescaped (the grammar's PN_LOCAL, or nothing).

    Why: ``survey:alignment-survey-1ef323be/section/3.4`` reads like a
    prefixed name but is none (``/`` needs an escape), so a reader who pastes
    it into a query gets a syntax error; such IRIs are shown in full.
    Stricter than the grammar in one place: Oxigraph 0.5 refuses a local name
    with two separate runs of dots (``a.b.c``, ``9.9.9``), which the grammar
    allows, so those are shown in full too.
    """
    runs = 0
    for k, ch in enumerate(text):
        if ch == "." and (k == 0 or text[k - 1] != "."):
            runs += 1
    if runs > 1:
        return False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%":  # PERCENT: one unit, allowed anywhere
            if i + 2 >= n or text[i + 1] not in _HEX or text[i + 2] not in _HEX:
                return False
            i += 3
            continue
        if i == 0:
            ok = _name_start(ch) or ch == ":" or "0" <= ch <= "9"
        else:
            ok = _name_char(ch) or ch == ":" or (ch == "." and i < n - 1)
        if not ok:
            return False
        i += 1
    return True


def compact(iri: str) -> str:
    """``method:dpo`` for an IRI in one of :data:`PREFIXES` whose rest is a local name; else the IRI.

    The one place every output that shows IRIs to people (CLI tables, Sphinx
    query tables) shortens them, so both show the same text.
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and is_local_name(iri[len(PREFIXES[best]) :]):
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return iri
