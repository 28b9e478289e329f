"""Errors every SPARQL caller may catch: one base class, user-facing messages."""

from __future__ import annotations


class QueryError(Exception):
    """A query that cannot run: syntax error, refused operation, failed endpoint."""


class QuerySyntaxError(QueryError):
    """A parse error, with the 1-based line and column when the parser gave them."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"syntax error: {where}{message}")
        self.detail = message
        self.line = line
        self.column = column


class QueryTimeout(QueryError):
    """The query ran past its time limit and was abandoned."""
