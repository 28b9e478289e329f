"""How large a diagram comes out in each builder, and whether its labels stay legible there.

Why: a diagram is drawn at its natural size and then fitted to what the
builder can show -- scaled down to the text block of a PDF page, or to the
content column of an HTML page -- and a large taxonomy fitted that way had
4 pt labels in the PDF and was a 3,000 px column in HTML.  The size of a
drawing is only known once Graphviz has laid it out, so the layout is run
here (``dot -Tplain``, the same program and arguments sphinx.ext.graphviz
uses, memoised by DOT source) and the smallest label it would have on the
page is computed; :mod:`.graphviz` then draws the diagram in parts, or warns
with the options that draw less.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Page:
    """Where a builder shows a diagram: the box it fits the drawing into, and the smallest legible label."""

    name: str
    width: float  # inches
    height: float  # inches
    min_font: float  # points, on the page
    unit: str  # how the smallest label is stated: "pt" or "px"

    def fitted(self, width: float, height: float) -> float:
        """The factor a drawing of *width* x *height* inches is scaled by to fit (never enlarged)."""
        return min(1.0, self.width / width if width else 1.0, self.height / height if height else 1.0)

    def shown(self, points: float) -> float:
        """A size in points as this page states it (CSS pixels are 96 to the inch)."""
        return points * 96 / 72 if self.unit == "px" else points

    @property
    def size(self) -> str:
        """Graphviz's ``size`` attribute: the drawing is scaled down to fit the box."""
        return f"{self.width:g},{self.height:g}"


#: A PDF page's text block (a4 and letter, Sphinx's default margins) less room for a caption;
#: 6 pt is the smallest print a reader of a PDF reads without zooming.
LATEX = Page("PDF", 6.0, 7.8, 6.0, "pt")
#: A content column of an HTML theme (about 860 px wide), a screen and a half tall; 9 px labels.
HTML = Page("HTML", 9.0, 14.0, 6.75, "px")


def page_for(builder_format: str) -> Page | None:
    return {"latex": LATEX, "html": HTML}.get(builder_format)


class LayoutError(Exception):
    """Graphviz could not lay the diagram out (sphinx.ext.graphviz reports why when it draws it)."""


@lru_cache(maxsize=256)
def natural_size(code: str, dot: str = "dot", args: tuple[str, ...] = ()) -> tuple[float, float]:
    """Width and height, in inches, of the drawing *code* describes, before any fitting."""
    try:
        done = subprocess.run(
            [dot, *args, "-Tplain"], input=code.encode("utf-8"), capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LayoutError(str(exc)) from None
    first = done.stdout.decode("utf-8", "replace").split("\n", 1)[0].split()
    if done.returncode != 0 or len(first) < 4 or first[0] != "graph":
        raise LayoutError(done.stderr.decode("utf-8", "replace")[:200])
    scale, width, height = float(first[1]), float(first[2]), float(first[3])
    return width * scale, height * scale


def smallest_label(code: str, font: float, page: Page, dot: str = "dot", args: tuple[str, ...] = ()) -> float:
    """The smallest label of the drawing once fitted to *page*, in points."""
    width, height = natural_size(code, dot, args)
    return font * page.fitted(width, height)
