"""One control per Scenario field, built from its declaration (label, unit, range, step, help).

A workbook names the levers it shows; nothing here knows any particular field, so a new
parameter gets its control without UI code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from ..parameters import ParamSpec, unknown_name_error
from ..scenario import Scenario, current_name

#: A slider whose declared range is far wider than the value (agents: 0..2000) is unusable;
#: its UI maximum becomes this many times the larger of the value and the default.
UI_SPAN = 3.0
STYLE = {"description_width": "19em"}
LAYOUT = widgets.Layout(width="34em")
#: The number box beside a slider: type an exact value, or step it with the arrow keys.
BOX_LAYOUT = widgets.Layout(width="6.5em")


def button(description: str, **options: Any) -> widgets.Button:
    """A button as wide as its words: the default width cuts longer names off ("Export com…")."""
    return widgets.Button(description=description, layout=widgets.Layout(width="auto"), **options)


def label_of(name: str, spec: ParamSpec) -> str:
    """What a learner reads beside the control: the label (or the name) and the unit."""
    text = spec.label or name.replace("_", " ").capitalize()
    if not spec.unit or spec.kind in ("bool", "choice") or spec.unit.lower() == text.lower():
        return text
    return f"{text} ({spec.unit})"


def tooltip_of(spec: ParamSpec) -> str:
    return f"{spec.help}. Allowed: {spec.allowed()}."


def flat_value(name: str, value: Any) -> Any:
    """The one number a slider shows for a field that may hold one value per hour.

    A shift plan (a list) is shown as its mean; moving the slider replaces the plan by that
    single value for every hour.
    """
    if isinstance(value, tuple | list):
        mean = sum(value) / len(value)
        return round(mean) if all(isinstance(v, int) for v in value) else mean
    return value


def ui_range(spec: ParamSpec, value: float, default: float) -> tuple[float, float]:
    """Slider bounds: the declared range, narrowed to a usable span, always holding ``value``."""
    low = spec.low if spec.low is not None else min(0.0, value)
    high = spec.high if spec.high is not None else math.inf
    finite = [abs(v) for v in (value, default) if math.isfinite(v)]
    step = spec.step or 1.0
    usable = UI_SPAN * max([*finite, 10 * step])
    if high - low > usable:
        high = usable if usable > low else low + usable
        high = round(math.ceil(round(high / step, 9)) * step, 10)
    return low, max(high, value) if math.isfinite(value) else high


#: Label of the last position of a slider whose field allows infinity (no limit).
NO_LIMIT = "no limit"


def _grid_with_no_limit(spec: ParamSpec, value: float, default: float) -> list[tuple[str, float]]:
    """Options for a field that may be infinite: the usable grid, the value, then 'no limit'."""
    low, high = ui_range(spec, value, default)
    step = spec.step or (high - low) / 50
    first = math.ceil(round(low / step, 9))
    last = math.floor(round(high / step, 9))
    values = {low} | {round(k * step, 10) for k in range(max(first, 1), last + 1)}
    if math.isfinite(value):
        values.add(value)
    options = [(f"{v:g}", v) for v in sorted(values)]
    return [*options, (NO_LIMIT, math.inf)]


def lever(name: str, value: Any | None = None) -> widgets.Widget:
    """A control for one Scenario field, showing ``value`` (default: the field's default)."""
    name = current_name(name, "lever")
    specs = Scenario.specs()
    if name not in specs:
        raise unknown_name_error("lever", name, list(specs))
    spec = specs[name]
    default: Any = Scenario.__dataclass_fields__[name].default
    value = flat_value(name, default if value is None else value)
    common: dict[str, Any] = {
        "description": label_of(name, spec),
        "tooltip": tooltip_of(spec),
        "style": STYLE,
        "layout": LAYOUT,
    }
    if spec.kind == "bool":
        control: widgets.Widget = widgets.Checkbox(value=bool(value), indent=False, **common)
    elif spec.kind == "choice":
        control = widgets.Dropdown(options=list(spec.choices), value=value, **common)
    elif spec.kind == "text":
        control = widgets.Text(value=str(value), continuous_update=False, **common)
    elif spec.high is not None and math.isinf(spec.high):
        options = _grid_with_no_limit(spec, float(value), float(default))
        control = widgets.SelectionSlider(
            options=options, value=float(value), continuous_update=False, **common
        )
    else:
        whole = spec.kind in ("int", "hourly_int")
        low, high = ui_range(spec, value, flat_value(name, default))
        if whole:
            bounds: dict[str, float] = {
                "min": int(low),
                "max": math.ceil(high),
                "step": int(spec.step or 1),
            }
            control = widgets.IntSlider(
                value=int(value), continuous_update=False, readout=False, **bounds, **common
            )
            box: widgets.Widget = widgets.BoundedIntText(
                value=int(value), layout=BOX_LAYOUT, **bounds
            )
        else:
            step = spec.step or (high - low) / 100
            bounds = {"min": float(low), "max": float(high), "step": step}
            control = widgets.FloatSlider(
                value=float(value), continuous_update=False, readout=False, **bounds, **common
            )
            box = widgets.BoundedFloatText(value=float(value), layout=BOX_LAYOUT, **bounds)
        box.tooltip = f"{common['description']}: type a value"
        widgets.jslink((control, "value"), (box, "value"))  # in the page: no round trip
        control.number_box = box
    control.lever_name = name
    return control


def row(control: widgets.Widget) -> widgets.Widget:
    """A lever as the panel shows it: the control with its number box, if it has one."""
    box = getattr(control, "number_box", None)
    return control if box is None else widgets.HBox([control, box])


def levers(names: Sequence[str], scenario: Scenario) -> dict[str, widgets.Widget]:
    """Controls for ``names``, showing ``scenario``'s values, in the order given."""
    if isinstance(names, str):
        names = [names]
    names = [current_name(name, "lever") for name in names]
    specs = Scenario.specs()
    for name in names:
        if name not in specs:
            raise unknown_name_error("lever", name, list(specs))
    return {name: lever(name, getattr(scenario, name)) for name in names}


def scenario_from(base: Scenario, controls: Mapping[str, widgets.Widget]) -> Scenario:
    """``base`` with the controls' values; every check is the Scenario's own validation.

    A control still showing the flat value of a shift plan it was built from leaves the plan
    as it is.
    """
    changes = {}
    for name, control in controls.items():
        current = getattr(base, name)
        if control.value != flat_value(name, current):
            changes[name] = control.value
    return base.replace(**changes) if changes else base
