"""Screenshots of the example handbook's main pages, for ``docs/handbook.rst``.

Why a script: the PNGs in ``docs/screenshots/`` must show what the current
extension renders, so they are regenerated, never edited.  It builds the
handbook as HTML, opens each page in headless Chromium from Debian
(``apt-get install chromium``) at 1200 px wide, and shrinks the PNGs with
``pngquant`` and ``optipng`` when they are installed (``apt-get install
pngquant optipng``).  Not run in CI.

Usage: ``python docs/_tools/screenshots.py [--keep-build DIR]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HANDBOOK = ROOT / "examples" / "handbook"
OUT = ROOT / "docs" / "screenshots"
WIDTH = 1200

#: page (relative to the built site) -> (PNG name, height in CSS pixels)
PAGES = {
    "index.html": ("handbook-landing.png", 1500),
    "challenges/specification-problems.html": ("handbook-concept-page.png", 1500),
    "surveys.html": ("handbook-survey-comparison.png", 1500),
    "papers.html": ("handbook-most-cited.png", 1500),
    "report.html": ("handbook-citation-report.png", 1100),
}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("screenshots: Chromium not found (apt-get install chromium)")


def build(site: Path) -> None:
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", str(HANDBOOK), str(site)], check=True)


def shoot(browser: str, page: Path, png: Path, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                f"--window-size={WIDTH},{height}",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def shrink(png: Path) -> None:
    """Palette-reduce and recompress in place; each step only if its tool is installed."""
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--quality=70-90", "--strip", "--output", str(png), str(png)],
            check=False,
        )
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", str(png)], check=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-build", type=Path, help="build the handbook here and keep it")
    args = parser.parse_args(argv)
    browser = chromium()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.keep_build or Path(tmp) / "html"
        build(site)
        for page, (name, height) in PAGES.items():
            png = OUT / name
            shoot(browser, site / page, png, height)
            shrink(png)
            print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
