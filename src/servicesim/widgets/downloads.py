"""Files a panel hands to the learner's browser, never to the machine the kernel runs on.

On Binder or a facilitator's laptop the kernel's folder is not the learner's: a file written
there is lost to them. A :class:`Download` is a link holding the file itself (a ``data:``
address with the ``download`` attribute), so a click saves it through the browser, in
JupyterLab and in Voila alike, and its message sits beside it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable

import ipywidgets as widgets

#: A file name a learner may give: letters, digits, spaces and ._- (no folders, no "..").
PLAIN_NAME = re.compile(r"[\w][\w .-]{0,99}")


def file_name(field: str, name: str, suffix: str) -> str:
    """``name`` as a download's file name ending in ``suffix``, or a ValueError naming
    ``field`` and what is allowed."""
    name = name.strip()
    if name and not name.lower().endswith(suffix):
        name += suffix
    if not PLAIN_NAME.fullmatch(name) or ".." in name:
        raise ValueError(
            f"{field} {name!r} is not a plain file name: use letters, digits, spaces, '.', '_' "
            f"or '-' (no folders), ending in {suffix}"
        )
    return name


class Download:
    """A download link with its message beside it; it offers a file only once one exists."""

    def __init__(self, label: str, waiting: str) -> None:
        self.label = label
        self.link = widgets.HTML()
        self.message = widgets.HTML()
        self.widget = widgets.HBox([self.link, self.message], layout={"align_items": "center"})
        self.name: str | None = None
        self.data: bytes | None = None
        self.withdraw(waiting)

    def offer(self, name: str, data: bytes, mime: str, what: str) -> None:
        """Offer ``data`` as the file ``name``; ``what`` says in words what it holds."""
        self.name, self.data = name, data
        address = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        self.link.value = (
            f'<a class="jupyter-button widget-button servicesim-download" '
            f'download="{html.escape(name, quote=True)}" href="{address}" '
            'style="text-decoration:none;padding:0 10px;width:auto">'
            f"⤓ {html.escape(self.label)}</a>"
        )
        self.message.value = (
            f'<small style="margin-left:8px">{html.escape(name)}: {html.escape(what)}. Your '
            "browser saves it where it saves downloads.</small>"
        )

    def offer_named(
        self, field: str, typed: str, suffix: str, make: Callable[[], str], mime: str, what: str
    ) -> None:
        """Offer ``make()`` under the name typed in ``field``; a bad name, or contents that
        cannot be made (levers in a combination that is not allowed), become the message."""
        try:
            name = file_name(field, typed, suffix)
            data = make().encode("utf-8")
        except ValueError as err:
            self.withdraw(str(err), error=True)
            return
        self.offer(name, data, mime, what)

    def withdraw(self, why: str, error: bool = False) -> None:
        """No file to offer (yet): the link is greyed and the message says why."""
        self.name = self.data = None
        self.link.value = (
            '<span class="jupyter-button widget-button mod-disabled" '
            f'style="padding:0 10px;width:auto">⤓ {html.escape(self.label)}</span>'
        )
        colour = "#8a1c12" if error else "#4a4a4a"
        style = f"color:{colour};margin-left:8px"
        self.message.value = f'<small style="{style}">{"⚠ " * error}{html.escape(why)}</small>'


__all__ = ["Download", "file_name"]
