"""The converted seeds ship with the package and must match a fresh conversion."""

from __future__ import annotations

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.manifest import MANIFEST_NAME, changed_outputs, read_manifest
from sphinxcontrib_alignsurvey.core.resources import BUNDLED

from .conftest import SURVEYS


def test_bundled_outputs_are_fresh(tmp_path):
    assert main(["convert", str(SURVEYS), "--out", str(tmp_path)]) == 0
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert MANIFEST_NAME in fresh  # the manifest ships too, so `--data` on the folder reads its one graph
    shipped = sorted(p.name for p in BUNDLED.iterdir() if not p.name.startswith("."))
    assert fresh == shipped, "bundled files differ from what `alignsurvey convert` writes"
    stale = [name for name in fresh if (tmp_path / name).read_bytes() != (BUNDLED / name).read_bytes()]
    assert not stale, (
        f"stale bundled files {stale}: regenerate with "
        "`alignsurvey convert examples/surveys --out sphinxcontrib_alignsurvey/data/bundled` "
        "(with --force if a merge left the shipped manifest and files out of step)"
    )
    assert changed_outputs(BUNDLED, read_manifest(BUNDLED)) == []
