"""``-j 2`` gives the same output as a serial build (8 documents, so Sphinx really splits)."""

from __future__ import annotations

import zlib

from .test_sphinx_helpers import build, copy_root


def outputs(outdir):
    files = {}
    for path in sorted(outdir.rglob("*.html")):
        files[str(path.relative_to(outdir))] = path.read_text(encoding="utf-8")
    raw = (outdir / "objects.inv").read_bytes()
    files["objects.inv"] = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    return files


def test_parallel_build_equals_serial(tmp_path):
    serial = build(copy_root("alignsurvey-parallel", tmp_path / "serial"), "html", freshenv=True)
    parallel = build(copy_root("alignsurvey-parallel", tmp_path / "parallel"), "html", parallel=2, freshenv=True)
    assert serial.warning_lines() == [] and parallel.warning_lines() == []
    assert "waiting for workers" in parallel.status or "reading sources... [" in parallel.status
    a, b = outputs(serial.outdir), outputs(parallel.outdir)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name
    domain = parallel.app.env.domaindata["align"]
    assert len(domain["objects"]) == 8
    assert set(domain["uses"]) >= {f"doc{i}" for i in range(8)}
