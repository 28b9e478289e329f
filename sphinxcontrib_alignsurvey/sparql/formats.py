"""Writers for query answers: table, CSV, TSV, SPARQL JSON and XML, Turtle.

Every writer except ``table`` consumes rows one at a time and writes as it
goes, so a result of any size streams to its output without being held in
memory (``table`` must see every row to size its columns).  Rows are tuples
of pyoxigraph terms, which both the embedded engine and the endpoint client
produce, so embedded and remote answers are written identically.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO

import pyoxigraph as ox

from ..core.namespaces import PREFIXES, compact  # one compact() for CLI and Sphinx

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Row = Sequence[object]


def write_csv(columns: Sequence[str], rows: Iterable[Row], out: IO[str]) -> int:
    """SPARQL 1.1 CSV: plain values, CRLF line ends.  Returns the number of rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow(["" if t is None else _csv_value(t) for t in row])
        n += 1
    return n


def _csv_value(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value  # type: ignore[attr-defined]


def write_tsv(columns: Sequence[str], rows: Iterable[Row], out: IO[str]) -> int:
    """SPARQL 1.1 TSV: terms in N-Triples syntax, so tabs and newlines stay escaped."""
    out.write("\t".join("?" + c for c in columns) + "\n")
    n = 0
    for row in rows:
        out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
        n += 1
    return n


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    lit: ox.Literal = term  # type: ignore[assignment]
    out = {"type": "literal", "value": lit.value}
    if lit.language:
        out["xml:lang"] = lit.language
    elif lit.datatype is not None and lit.datatype.value != XSD_STRING:
        out["datatype"] = lit.datatype.value
    return out


def write_json(columns: Sequence[str], rows: Iterable[Row], out: IO[str]) -> int:
    """SPARQL 1.1 Query Results JSON, one binding per line."""
    import json  # only for this format (see escape)

    out.write('{"head":{"vars":' + json.dumps(list(columns)) + '},"results":{"bindings":[')
    n = 0
    for row in rows:
        binding = {c: _json_term(t) for c, t in zip(columns, row) if t is not None}
        out.write(("," if n else "") + "\n" + json.dumps(binding, ensure_ascii=False))
        n += 1
    out.write("\n]}}\n")
    return n


def escape(text: str) -> str:
    """XML character data, escaped by the standard library's writer.

    Why imported here: ``xml.sax.saxutils`` imports ``urllib.request`` (and with
    it ``http.client`` and ``email``), which cost a cold ``alignsurvey query``
    more than its answer; only the XML format needs it.
    """
    from xml.sax.saxutils import escape as sax_escape

    return sax_escape(text)


def quoteattr(text: str) -> str:
    """An XML attribute value, quoted (see :func:`escape`)."""
    from xml.sax.saxutils import quoteattr as sax_quoteattr

    return sax_quoteattr(text)


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    lit: ox.Literal = term  # type: ignore[assignment]
    if lit.language:
        return f"<literal xml:lang={quoteattr(lit.language)}>{escape(lit.value)}</literal>"
    if lit.datatype is not None and lit.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(lit.datatype.value)}>{escape(lit.value)}</literal>"
    return f"<literal>{escape(lit.value)}</literal>"


def write_xml(columns: Sequence[str], rows: Iterable[Row], out: IO[str]) -> int:
    """SPARQL Query Results XML Format."""
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>')
    out.write("".join(f"<variable name={quoteattr(c)}/>" for c in columns))
    out.write("</head>\n<results>\n")
    n = 0
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(c)}>{_xml_term(t)}</binding>" for c, t in zip(columns, row) if t is not None
        )
        out.write(f"<result>{cells}</result>\n")
        n += 1
    out.write("</results>\n</sparql>\n")
    return n


def _display(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value  # type: ignore[attr-defined]


def write_table(columns: Sequence[str], rows: Iterable[Row], out: IO[str]) -> int:
    """A rich table for reading in a terminal; IRIs shortened with the graph prefixes."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False, header_style="bold")
    n = 0
    for row in rows:
        table.add_row(*(_display(t) for t in row))
        n += 1
    console = Console(file=out, soft_wrap=False, width=None if out.isatty() else 200)
    console.print(table)
    console.print(f"{n} row{'s' if n != 1 else ''}", style="dim")
    return n


WRITERS = {"table": write_table, "csv": write_csv, "tsv": write_tsv, "json": write_json, "xml": write_xml}


def write_boolean(value: bool, fmt: str, out: IO[str]) -> None:
    """An ASK answer: ``true``/``false``, or the SPARQL JSON/XML boolean document."""
    if fmt == "json":
        import json

        out.write(json.dumps({"head": {}, "boolean": value}) + "\n")
    elif fmt == "xml":
        out.write(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        )
    else:
        out.write(("true" if value else "false") + "\n")


def write_turtle(triples: Iterable[ox.Triple], out: IO[bytes]) -> None:
    """CONSTRUCT/DESCRIBE answers as Turtle with the graph's prefixes."""
    ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """A UTF-8 text view of a binary stream (keeps CRLF as written)."""
    return io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
