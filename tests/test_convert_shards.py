"""Sharded and parallel conversion: any split of the surveys gives the bytes of one conversion.

Why these cases: the values that depend on the whole corpus (works merged
by title, citation keys, evidence counts and confidence of links found in
several surveys, the provenance run) are what a naive split gets wrong, and
ten generated surveys share works and links across all of them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.convert import convert, merge_parts, write_graph
from sphinxcontrib_alignsurvey.convert.parts import Context, Settings
from sphinxcontrib_alignsurvey.convert.pool import build_parts
from sphinxcontrib_alignsurvey.convert.store import INDEX_NAME, PARTS_DIR
from sphinxcontrib_alignsurvey.core.manifest import MANIFEST_NAME, read_manifest
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary

FORMATS = "ttl,nt"


def files(folder: Path, manifest: bool = True) -> dict[str, bytes]:
    """Every output (graph, BibTeX, and the manifest unless told not to), by name."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and (manifest or p.name != MANIFEST_NAME)
    }


def surveys(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


@pytest.fixture(scope="module")
def whole(generated_ten, tmp_path_factory) -> Path:
    """All ten converted in this process, the way `convert --jobs 1` always did."""
    out = tmp_path_factory.mktemp("whole")
    assert main(["convert", str(generated_ten), "--out", str(out), "--format", FORMATS, "--jobs", "1"]) == 0
    return out


def test_the_outputs_hold_every_survey(whole, generated_ten):
    bibs = {p.name for p in whole.glob("*.bib")}
    assert bibs == {"references.bib", *(f"{p.stem}.bib" for p in surveys(generated_ten))}
    assert b"align:evidenceCount 10 " in (whole / "graph.ttl").read_bytes()  # a link seen in all ten


def test_two_worker_processes_give_the_same_bytes(whole, generated_ten, tmp_path):
    conversion = convert(surveys(generated_ten), jobs=2)
    assert conversion.parts and all(not p.survey.sentences for p in conversion.parts), "not built by workers"
    write_graph(conversion, tmp_path, FORMATS.split(","))  # 10 surveys: ranges written by workers too
    assert files(tmp_path) == files(whole)


@pytest.mark.parametrize("shards", [2, 5])
def test_shards_built_apart_merge_to_the_same_bytes(whole, generated_ten, tmp_path, shards):
    """Each shard read, checked, linked and built by its own context, as another machine would."""
    paths = surveys(generated_ten)
    settings = Settings.read(load_vocabulary())
    parts = []
    keep = []
    for k in range(shards):
        run_dir = tempfile.TemporaryDirectory()
        keep.append(run_dir)
        parts += build_parts(paths[k::shards], settings, Path(run_dir.name), context=Context(settings))
    conversion = merge_parts(parts[::-1], settings)  # the order parts arrive in does not matter
    write_graph(conversion, tmp_path, FORMATS.split(","))
    assert files(tmp_path) == files(whole)


def test_adding_one_survey_equals_converting_all(whole, generated_ten, tmp_path):
    paths = [str(p) for p in surveys(generated_ten)]
    added, full = tmp_path / "added", tmp_path / "full"
    assert main(["convert", *paths[:9], "--out", str(added), "--format", FORMATS, "--keep-parts"]) == 0
    before = files(added)
    assert main(["convert", paths[9], "--out", str(added), "--format", FORMATS, "--add"]) == 0
    assert main(["convert", *paths, "--out", str(full), "--format", FORMATS, "--keep-parts"]) == 0
    assert files(added) == files(full)  # the manifest too: same inputs, outputs and parts index
    assert files(added, manifest=False) == files(whole, manifest=False)
    assert (added / INDEX_NAME).read_bytes() == (full / INDEX_NAME).read_bytes()
    assert files(added) != before


def test_parts_are_listed_and_removed_with_the_conversion(generated_ten, tmp_path):
    paths = [str(p) for p in surveys(generated_ten)[:2]]
    assert main(["convert", *paths, "--out", str(tmp_path), "--keep-parts"]) == 0
    manifest = read_manifest(tmp_path)
    assert [(e.name, e.role) for e in manifest.outputs if e.role == "parts"] == [(INDEX_NAME, "parts")]
    index = json.loads((tmp_path / INDEX_NAME).read_bytes())
    named = {n for e in index["surveys"] for n in (e["record"], e["run"])}
    assert named == {p.name for p in (tmp_path / PARTS_DIR).iterdir()} and len(named) == 4
    assert main(["convert", *paths, "--out", str(tmp_path)]) == 0  # without --keep-parts: they go
    assert not (tmp_path / PARTS_DIR).exists() and not (tmp_path / INDEX_NAME).exists()


def test_add_needs_parts_made_with_the_same_settings(generated_ten, tmp_path, capsys):
    paths = [str(p) for p in surveys(generated_ten)[:2]]
    plain = tmp_path / "plain"
    assert main(["convert", paths[0], "--out", str(plain)]) == 0
    assert main(["convert", paths[1], "--out", str(plain), "--add"]) == 1
    err = capsys.readouterr().err
    assert "--keep-parts" in err and "nothing was written" in err
    kept = tmp_path / "kept"
    assert main(["convert", paths[0], "--out", str(kept), "--keep-parts"]) == 0
    before = files(kept)
    bib = tmp_path / "mine.bib"
    bib.write_text("@article{x, title = {Some Other Title}, author = {Doe, Jane}, year = {2020}}\n", encoding="utf-8")
    assert main(["convert", paths[1], "--out", str(kept), "--add", "--metadata", str(bib)]) == 1
    assert "other settings" in capsys.readouterr().err
    assert files(kept) == before


def test_a_part_changed_on_disk_is_refused(generated_ten, tmp_path, capsys):
    paths = [str(p) for p in surveys(generated_ten)[:2]]
    assert main(["convert", paths[0], "--out", str(tmp_path), "--keep-parts"]) == 0
    run = next((tmp_path / PARTS_DIR).glob("*.nt"))
    run.write_bytes(run.read_bytes().replace(b"Alignment", b"Alignmemt", 1))
    assert main(["convert", paths[1], "--out", str(tmp_path), "--add"]) == 1
    assert "changed since it was written" in capsys.readouterr().err


def test_the_seeds_as_two_shards_equal_the_shipped_data(tmp_path):
    """The shipped outputs were made by one conversion; one part per seed, merged, must give them."""
    from sphinxcontrib_alignsurvey.core.resources import BUNDLED

    from .conftest import SURVEY_A, SURVEY_B

    settings = Settings.read(load_vocabulary())
    parts = []
    keep = []
    for path in (SURVEY_B, SURVEY_A):
        run_dir = tempfile.TemporaryDirectory()
        keep.append(run_dir)
        parts += build_parts([path], settings, Path(run_dir.name), context=Context(settings))
    write_graph(merge_parts(parts, settings), tmp_path)
    assert files(tmp_path) == files(BUNDLED)


def test_sigterm_while_workers_convert_leaves_no_process_or_run_file(generated_ten, tmp_path):
    """The CLI turns SIGTERM into an exception: the pool is terminated and the run files removed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sphinxcontrib_alignsurvey.cli",
            "convert",
            str(generated_ten),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not list(scratch.glob("alignsurvey-runs-*/*.nt")):  # a worker has finished a survey
        assert child.poll() is None, child.stderr.read().decode()
        assert time.monotonic() < deadline, "no survey converted in time"
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    assert child.wait(60) == 128 + signal.SIGTERM
    assert "interrupted by SIGTERM" in child.stderr.read().decode()
    survivors = True
    deadline = time.monotonic() + 20  # the fork server leaves when it sees its parent's pipe close
    while survivors and time.monotonic() < deadline:
        try:
            os.killpg(child.pid, 0)  # the fork server and workers share the child's process group
            time.sleep(0.1)
        except ProcessLookupError:
            survivors = False
    assert not survivors, "worker processes outlived the conversion"
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "out").exists()


def test_run_folders_of_dead_processes_are_removed(tmp_path):
    import os

    from sphinxcontrib_alignsurvey.graph.runs import remove_stale_scratch

    dead = 2**22 + 12345  # above the default pid_max: no such process
    (tmp_path / f"alignsurvey-runs-{dead}-x").mkdir()
    (tmp_path / f"alignsurvey-runs-{dead}-x" / "000000.nt").write_bytes(b"")
    (tmp_path / f"alignsurvey-ranges-{os.getpid()}-y").mkdir()
    (tmp_path / "alignsurvey-runs-unnamed").mkdir()
    removed = remove_stale_scratch(tmp_path)
    assert [p.name for p in removed] == [f"alignsurvey-runs-{dead}-x"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"alignsurvey-ranges-{os.getpid()}-y",
        "alignsurvey-runs-unnamed",
    ]


def test_ranges_written_by_workers_from_grouped_runs_equal_the_shipped_data(tmp_path, monkeypatch):
    """Many runs (more than a merge may open) are merged in groups by the workers before the ranges."""
    import sphinxcontrib_alignsurvey.convert as conv
    from sphinxcontrib_alignsurvey.core.resources import BUNDLED
    from sphinxcontrib_alignsurvey.graph import runs

    from .conftest import SURVEYS

    conversion = convert(sorted(SURVEYS.glob("*.md")), jobs=2)
    monkeypatch.setattr(conv, "RANGED_BYTES", 0)  # the seeds' graph is small: write it in ranges anyway
    monkeypatch.setattr(runs, "MAX_OPEN", 2)
    write_graph(conversion, tmp_path)
    assert conversion.worker_stats.cpu, "no worker wrote a range"
    assert files(tmp_path) == files(BUNDLED)


def test_workers_start_when_the_temporary_folder_path_is_long(whole, generated_ten, tmp_path):
    """The fork server's socket lives in TMPDIR; past the system's path limit, workers are spawned instead."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    deep = tmp_path / ("t" * 60) / ("u" * 60)
    deep.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(deep)}
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinxcontrib_alignsurvey.cli",
            "convert",
            str(generated_ten),
            "--out",
            str(out),
            "--format",
            FORMATS,
            "--jobs",
            "2",
        ],
        env=env,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert files(out) == files(whole)


FORK_SCRIPT = r"""
import json, os, sys
from pathlib import Path
import sphinxcontrib_alignsurvey.convert as conv
from sphinxcontrib_alignsurvey.convert import convert, pool, write_graph

forked, ranged = [], []
real_forked, real_build, real_range = pool._forked_parts, pool.build_part, pool.write_range
real_ranges = conv.ForkedRanges
parent = os.getpid()

def spy(paths, *args, **kwargs):
    forked.append(len(paths))
    return real_forked(paths, *args, **kwargs)

def build(path, *args, **kwargs):  # a bug in a forked child, when asked for
    if os.getpid() != parent and os.environ.get("BREAK_CHILD"):
        raise ValueError("broken on purpose")
    return real_build(path, *args, **kwargs)

def write_range(*args, **kwargs):  # the same in the child writing a range
    if os.getpid() != parent and os.environ.get("BREAK_RANGE"):
        raise ValueError("range broken on purpose")
    return real_range(*args, **kwargs)

real_run = pool.write_run
runs_forked = []

def write_run(*args, **kwargs):  # and in the child writing the run of a part read here
    if os.getpid() != parent and os.environ.get("BREAK_RUN"):
        raise ValueError("run broken on purpose")
    return real_run(*args, **kwargs)

real_add = pool.PendingRuns.add

def add(self, part, run):
    runs_forked.append(part.survey.id)
    return real_add(self, part, run)

pool.write_run, pool.PendingRuns.add = write_run, add
real_check = pool.check_part

def check_part(*args, **kwargs):  # and in the child checking the citations of the survey read here
    if os.getpid() != parent and os.environ.get("BREAK_CHECK"):
        raise ValueError("check broken on purpose")
    return real_check(*args, **kwargs)

pool.check_part = check_part

def ranges(*args, **kwargs):
    made = real_ranges(*args, **kwargs)
    ranged.append(len(made._children))
    return made

pool._forked_parts, pool.build_part, pool.write_range, conv.ForkedRanges = spy, build, write_range, ranges
if os.environ.get("NO_FORK"):  # a process limit reached: no child can be made

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    os.fork = no_fork
try:
    conversion = convert(sorted(Path(sys.argv[1]).glob("*.md")), jobs=int(sys.argv[3]))
    write_graph(conversion, sys.argv[2], ["ttl", "nt"])
except RuntimeError as exc:
    print(json.dumps({"error": str(exc)}))
    raise SystemExit(0)
full = [bool(p.survey.sentences) for p in conversion.parts]
facts = {"namespaces": sorted(conversion.build.runs.namespaces), "digests": [p.run_sha256 for p in conversion.parts]}
print(json.dumps({"forked": forked, "full": full, "ranged": ranged, "runs": runs_forked, **facts}))
"""


def _fork_run(folder: Path, out: Path, jobs: int, **env: str) -> dict:
    """*folder* converted in a fresh process (one thread, so it may fork), reporting what it did."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-c", FORK_SCRIPT, str(folder), str(out), str(jobs)],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_few_surveys_on_two_cores_take_one_forked_child_and_give_the_same_bytes(tmp_path):
    """Two surveys and two jobs: this process builds the larger, one forked child the smaller."""
    from .conftest import ROOT

    seeds = ROOT / "examples" / "surveys"
    one = _fork_run(seeds, tmp_path / "one", 1)
    two = _fork_run(seeds, tmp_path / "two", 2)
    # what a run written while merging tells afterwards: its namespaces (the prefixes) and digest
    for key in ("namespaces", "digests"):
        assert one.pop(key) == two.pop(key)
    assert one == {"forked": [], "full": [True, True], "ranged": [], "runs": []}
    # the smaller survey (1ef323be) came back slim from the child; the larger was read here and its
    # run written by a second child while the parts were merged; a third wrote the graph's second range
    assert two == {"forked": [2], "full": [False, True], "ranged": [1], "runs": ["alignment-survey-ffda8c1d"]}
    assert files(tmp_path / "two") == files(tmp_path / "one")


def test_a_forked_child_that_fails_fails_the_conversion_with_its_traceback(tmp_path):
    from .conftest import ROOT

    got = _fork_run(ROOT / "examples" / "surveys", tmp_path / "out", 2, BREAK_CHILD="1")
    assert "a conversion worker failed" in got["error"] and "broken on purpose" in got["error"]


@pytest.mark.parametrize(
    ("variable", "message"), [("BREAK_RANGE", "range"), ("BREAK_RUN", "run"), ("BREAK_CHECK", "check")]
)
def test_a_forked_writer_that_fails_fails_the_conversion_and_writes_nothing(tmp_path, variable, message):
    """The child writing the graph's second range, the run of the part read in the parent, or checking
    that part's citations."""
    from .conftest import ROOT

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    got = _fork_run(ROOT / "examples" / "surveys", tmp_path / "out", 2, **{variable: "1", "TMPDIR": str(scratch)})
    assert "a conversion worker failed" in got["error"] and f"{message} broken on purpose" in got["error"]
    assert not (tmp_path / "out").exists()
    assert list(scratch.iterdir()) == []


def test_the_script_leaves_no_run_folder_when_it_exits_without_freeing_the_conversion(tmp_path):
    """``alignsurvey convert`` keeps its conversion to the end (no teardown), but removes its run files first."""
    import os
    import subprocess
    import sys

    from sphinxcontrib_alignsurvey.core.resources import BUNDLED

    from .conftest import ROOT

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", "convert", str(ROOT / "examples" / "surveys")]
        + ["--out", str(tmp_path / "out"), "--jobs", "2"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "2 survey(s)" in done.stderr and done.stdout.splitlines()[0].endswith("graph.ttl")
    assert list(scratch.iterdir()) == []
    assert files(tmp_path / "out") == files(BUNDLED)


def test_closing_the_runs_removes_the_run_folders_it_kept(tmp_path):
    from sphinxcontrib_alignsurvey.graph.runs import TripleRuns, scratch

    runs = TripleRuns()
    kept = scratch("runs")
    (Path(kept.name) / "000000.nt").write_bytes(b"<a> <b> <c> .\n")
    runs.keep(kept)
    runs.add_sorted_file(Path(kept.name) / "000000.nt", ())
    assert [line for block in runs.blocks() for line in block] == [b"<a> <b> <c> .\n"]
    runs.close()
    assert not Path(kept.name).exists() and runs.paths == []


def test_when_no_child_can_be_forked_the_work_is_done_here_with_the_same_bytes(tmp_path):
    from .conftest import ROOT

    seeds = ROOT / "examples" / "surveys"
    one = _fork_run(seeds, tmp_path / "one", 1)
    two = _fork_run(seeds, tmp_path / "two", 2, NO_FORK="1")
    assert "error" not in two and two["forked"] == [2] and two["ranged"] == [1]
    assert one["namespaces"] == two["namespaces"] and one["digests"] == two["digests"]
    assert files(tmp_path / "two") == files(tmp_path / "one")
