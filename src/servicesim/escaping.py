"""What a user wrote, shown as they wrote it: in the report's Markdown, a chart's labels and on
the terminal.

Scenario names and descriptions, file names and names typed in a panel reach pages that read
markup: Markdown (with ``$...$`` math) in the report, matplotlib's mathtext in the charts,
HTML in the panels (there ``html.escape`` does it). Each helper here turns text into its
literal form for one of them, so that nothing a user typed is run or rendered as markup.
"""

from __future__ import annotations

import string

#: Characters that Markdown, the HTML inside it or its ``$...$`` math may read as markup:
#: all of ASCII punctuation, since a character reference is never markup.
MARKDOWN_MARKUP = frozenset(string.punctuation)


def as_markdown(text: object) -> str:
    """``text`` for a Markdown cell, shown literally: every punctuation character becomes a
    numeric character reference (so no emphasis, link, HTML or ``$`` math starts) and a line
    break a ``<br>`` (so no heading, list or quote starts)."""
    literal = "".join(f"&#{ord(c)};" if c in MARKDOWN_MARKUP else c for c in str(text))
    return "<br>".join(literal.splitlines())


def as_label(text: object) -> str:
    """``text`` as matplotlib shows it literally in a title, label or legend: a ``$`` would
    otherwise start mathtext (which draws ``$x^2$`` as a formula, or fails on bad TeX)."""
    return str(text).replace("$", r"\$")


#: Control characters a terminal may act on (all of C0 but tab and line feed, DEL and C1), each
#: with the escape that shows it instead.
TERMINAL_CONTROLS = {
    code: f"\\x{code:02x}" for code in (*range(0, 9), *range(11, 32), 127, *range(128, 160))
}


def as_terminal(text: object) -> str:
    """``text`` for a terminal, shown literally: a control character (an escape sequence
    that clears the screen, moves the cursor or changes colours) as its ``\\x..`` escape."""
    return str(text).translate(TERMINAL_CONTROLS)


__all__ = ["MARKDOWN_MARKUP", "TERMINAL_CONTROLS", "as_label", "as_markdown", "as_terminal"]
