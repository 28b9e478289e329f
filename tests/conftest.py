"""Shared fixtures: the bundled surveys and a helper for external tools."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "examples" / "surveys"
SURVEY_A = SURVEYS / "alignment-survey-1ef323be.md"
SURVEY_B = SURVEYS / "alignment-survey-ffda8c1d.md"
DATA = Path(__file__).resolve().parent / "data"


def require_tool(name: str) -> str:
    """Path of an external program; skip without it unless CI requires tools."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("ALIGNSURVEY_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required (ALIGNSURVEY_REQUIRE_TOOLS is set) but not installed")
    pytest.skip(f"{name} not installed")


@pytest.fixture(scope="session")
def survey_a():
    from sphinxcontrib_alignsurvey.reader import read_survey

    return read_survey(SURVEY_A)


@pytest.fixture(scope="session")
def survey_b():
    from sphinxcontrib_alignsurvey.reader import read_survey

    return read_survey(SURVEY_B)


@pytest.fixture(scope="session")
def seed_conversion():
    """Both bundled surveys, converted once per test session (read-only: do not mutate)."""
    from sphinxcontrib_alignsurvey.convert import convert

    return convert([SURVEY_A, SURVEY_B])


@pytest.fixture(scope="session")
def generated_ten(tmp_path_factory) -> Path:
    """A folder of ten surveys made by ``benchmarks/corpus.py`` (variants of the seeds; read-only)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder = tmp_path_factory.mktemp("generated-ten")
    corpus.generate(folder, 10)
    return folder


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory) -> Path:
    """``alignsurvey convert examples/surveys --out DIR`` run once per session; tests only read DIR."""
    from sphinxcontrib_alignsurvey.cli import main

    path = tmp_path_factory.mktemp("seed-outputs")
    assert main(["convert", str(SURVEYS), "--out", str(path)]) == 0
    return path


class ServiceWitness:
    """Accepts connections on 127.0.0.1, records each request's path, closes at once."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.paths: list[str] = []
        self.ids = itertools.count()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    head = conn.recv(4096).decode("latin-1")
                except OSError:
                    head = ""
                parts = head.split(" ", 2)
                self.paths.append(parts[1] if len(parts) > 1 else "?")

    def token(self) -> str:
        return f"t{next(self.ids)}"

    def url(self, token: str) -> str:
        return f"http://127.0.0.1:{self.port}/{token}"

    def called(self, token: str) -> bool:
        return any(p.endswith("/" + token) for p in self.paths)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="session")
def service_witness():
    """A loopback socket that records which SERVICE IRIs a SPARQL engine called."""
    witness = ServiceWitness()
    yield witness
    witness.close()
