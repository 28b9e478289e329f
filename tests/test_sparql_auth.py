"""Credentials for an endpoint come from the environment or netrc (Basic or Digest), never from the URL."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql import QueryError, open_engine

ANSWER = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:x"}}]}})
JSON = {"Content-Type": "application/sparql-results+json"}
REALM = "SPARQL"
NONCE = "5ab2f7c0d1e"


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch, tmp_path):
    monkeypatch.delenv("ALIGNSURVEY_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("ALIGNSURVEY_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def basic_server(canned, user: str, password: str) -> None:
    wanted = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def answer(request):
        if request[2].get("Authorization") != wanted:
            return 401, {"WWW-Authenticate": f'Basic realm="{REALM}"'}, b"auth needed"
        return 200, JSON, ANSWER.encode()

    canned.answer = answer


def digest_server(canned, user: str, password: str) -> None:
    """RFC 2617 Digest with qop=auth, checked the way a server does."""

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # the protocol's own hash

    def answer(request):
        method, _, headers, _ = request
        auth = headers.get("Authorization", "")
        if auth.startswith("Digest "):
            f = dict(re.findall(r'(\w+)="?([^",]*)"?', auth))
            ha1 = md5(f"{user}:{REALM}:{password}")
            ha2 = md5(f"{method}:{f.get('uri', '')}")
            expected = md5(f"{ha1}:{NONCE}:{f.get('nc')}:{f.get('cnonce')}:auth:{ha2}")
            if f.get("username") == user and f.get("response") == expected:
                return 200, JSON, ANSWER.encode()
        challenge = f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
        return 401, {"WWW-Authenticate": challenge}, b"auth needed"

    canned.answer = answer


def test_credentials_in_the_url_are_refused_without_echoing_them(capsys) -> None:
    url = "http://dba:s3cret@127.0.0.1:9/sparql"
    with pytest.raises(QueryError, match="ALIGNSURVEY_ENDPOINT_USER") as info:
        open_engine(endpoint=url)
    assert "s3cret" not in str(info.value) and "netrc" in str(info.value)
    assert main(["load", "--endpoint", url]) != 0
    err = capsys.readouterr().err
    assert "refused" in err and "s3cret" not in err


def test_basic_auth_from_the_environment(canned_endpoint, monkeypatch) -> None:
    basic_server(canned_endpoint, "reader", "pw1")
    with pytest.raises(QueryError, match=r"HTTP 401.*ALIGNSURVEY_ENDPOINT_USER"):
        open_engine(endpoint=canned_endpoint.url).select("SELECT ?s WHERE { ?s ?p ?o }")
    monkeypatch.setenv("ALIGNSURVEY_ENDPOINT_USER", "reader")
    monkeypatch.setenv("ALIGNSURVEY_ENDPOINT_PASSWORD", "pw1")
    rows = open_engine(endpoint=canned_endpoint.url).select("SELECT ?s WHERE { ?s ?p ?o }").rows
    assert rows[0][0].value == "urn:x"


def test_digest_auth_from_a_netrc_file(canned_endpoint, monkeypatch, tmp_path) -> None:
    digest_server(canned_endpoint, "dba", "pw2")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login dba password pw2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    rows = open_engine(endpoint=canned_endpoint.url).select("SELECT ?s WHERE { ?s ?p ?o }").rows
    assert rows[0][0].value == "urn:x"
    sent = [r[2].get("Authorization", "") for r in canned_endpoint.requests]
    assert sent[0] == "" and sent[-1].startswith("Digest ") and "pw2" not in sent[-1]


def test_only_half_the_credentials_is_an_error(canned_endpoint, monkeypatch) -> None:
    monkeypatch.setenv("ALIGNSURVEY_ENDPOINT_USER", "reader")
    with pytest.raises(QueryError, match="only one is set"):
        open_engine(endpoint=canned_endpoint.url).select("SELECT ?s WHERE { ?s ?p ?o }")
