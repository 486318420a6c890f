"""A panel's static stand-in, for pages where no live Python runs its widgets.

Every panel is displayed with a second, static rendering beside its live widget: JupyterLab
and Voila show the widget; a notebook exported to HTML without a kernel (``servicesim
handouts``) shows the static one instead of an empty box.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.figure import Figure

#: Said where a static page cannot do what the live panel does.
LIVE_ONLY = "Open this workbook in JupyterLab or on Binder to use the live panel."


def figure_html(figure: Figure) -> str:
    """``figure`` as an inline PNG image (no file, no link), then closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="chart" style="max-width:100%" src="data:image/png;base64,{data}">'


def display_with_static(widget: widgets.Widget, static_html: str) -> None:
    """Display ``widget`` live, with ``static_html`` as what a page without a kernel shows."""
    bundle = widget._repr_mimebundle_()
    bundle["text/html"] = f'<div class="servicesim-static">{static_html}</div>'
    display(bundle, raw=True)


__all__ = ["LIVE_ONLY", "display_with_static", "figure_html"]
