"""Text a user might type that every page must show as written: markup for HTML, Markdown and
matplotlib's mathtext.

The tests that show user text (a scenario's name and description, a name typed in a panel,
a file name) use these strings and the checks below: none of them may run, none may render,
and each is shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable

from bs4 import BeautifulSoup
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

#: One string per kind of markup: a script, an event handler, a javascript: frame, a Markdown
#: link and emphasis, and TeX math.
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '<iframe src="javascript:window.top.__pwned=3">',
    "[click](javascript:alert(1))",
    "**bold**",
    "$\\frac{1}{0}$",
]
#: All of them in one text, as a name or a description may hold them.
ALL = " ".join(HOSTILE)


def assert_shown_as_text(page_html: str, where: str, texts: Iterable[str] = (ALL,)) -> None:
    """``page_html`` (a page or a panel's HTML) shows each of ``texts`` as written, and holds
    no element any of HOSTILE would make."""
    soup = BeautifulSoup(page_html, "html.parser")
    shown = soup.get_text()
    for text in texts:
        assert text in shown, f"{where} does not show {text!r} as written"
    assert not soup.find_all("iframe"), f"{where} holds an iframe"
    assert not soup.find_all(attrs={"onerror": True}), f"{where} holds an onerror handler"
    scripts = [s for s in soup.find_all("script") if "__pwned" in s.get_text()]
    assert not scripts, f"{where} holds the user's script"
    links = [a for a in soup.find_all("a") if a.get("href", "").lower().startswith("javascript:")]
    assert not links, f"{where} holds a javascript: link"
    bold = [b for b in soup.find_all(["strong", "b", "em"]) if b.get_text() == "bold"]
    assert not bold, f"{where} renders **bold** as bold"


def drawn_width(figure: Figure, like: Text, text: str, parse_math: bool) -> float:
    """How wide ``text`` is drawn in ``like``'s font and angle, read as math or literally."""
    probe = Text(0, 0, text, fontproperties=like.get_fontproperties(), parse_math=parse_math)
    probe.set_rotation(like.get_rotation())
    probe.set_figure(figure)
    return probe.get_window_extent(renderer_of(figure)).width


def renderer_of(figure: Figure):
    """The figure's renderer (a figure made without pyplot gets an Agg canvas first)."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    return canvas.get_renderer()


def assert_drawn_as_written(figure: Figure, texts: Iterable[str], where: str) -> None:
    """``figure`` draws (mathtext would fail or typeset here), and for each of ``texts`` one of
    its texts is drawn exactly as wide as that text written out, which a formula is not."""
    renderer = renderer_of(figure)
    figure.canvas.draw()
    drawn = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    for text in texts:
        matches = [
            t
            for t in drawn
            if abs(t.get_window_extent(renderer).width - drawn_width(figure, t, text, False)) < 0.5
        ]
        assert matches, f"{where}: no text is drawn as {text!r} written out"
        if "$" in text:  # else the check could not tell the text from its formula
            literal, formula = (drawn_width(figure, matches[0], text, m) for m in (False, True))
            assert abs(literal - formula) >= 0.5, f"{where}: {text!r} draws alike as a formula"
