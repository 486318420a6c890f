"""The widget layer, headless: controls from the declarations, and a dashboard that shows
exactly what the public API computes for the scenario its levers describe."""

from __future__ import annotations

import io
import math

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from hostile import ALL, HOSTILE, assert_shown_as_text

from servicesim import Scenario, analytic, presets, simulate
from servicesim.widgets import Dashboard, erlang_beside, lever, levers, scenario_from
from servicesim.widgets import dashboard as dashboard_module
from servicesim.widgets.controls import NO_LIMIT
from servicesim.widgets.dashboard import tile_text

BASELINE = presets.load("baseline")
SHORT = BASELINE.replace(horizon_hours=2.0)
SPECS = Scenario.specs()
DEFAULTS = Scenario()
OTHER = f"other {HOSTILE[1]} {HOSTILE[-1]}"


# --- controls -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_field_gets_a_control_that_agrees_with_its_declaration(name: str) -> None:
    spec = SPECS[name]
    control = lever(name, getattr(DEFAULTS, name))
    assert control.lever_name == name
    assert spec.help in control.tooltip and spec.allowed() in control.tooltip
    assert (spec.label or name.replace("_", " ").capitalize()) in control.description
    label = spec.label or name
    if spec.unit and spec.kind not in ("bool", "choice") and spec.unit.lower() != label.lower():
        assert f"({spec.unit})" in control.description
    if spec.kind == "bool":
        assert isinstance(control, widgets.Checkbox)
    elif spec.kind == "choice":
        assert list(control.options) == list(spec.choices)
    elif spec.kind != "text":
        assert control.continuous_update is False
        if isinstance(control, widgets.SelectionSlider):
            values = [v for _, v in control.options]
            assert values[-1] == math.inf and control.options[-1][0] == NO_LIMIT
            assert min(values) >= spec.low
        else:
            assert control.min >= (spec.low if spec.low is not None else -math.inf)
            assert control.max <= (spec.high if spec.high is not None else math.inf)
            assert control.step == (spec.step or control.step)
            assert isinstance(control, widgets.IntSlider) == (spec.kind in ("int", "hourly_int"))


def test_controls_round_trip_the_default_scenario_exactly() -> None:
    controls = levers(list(SPECS), DEFAULTS)
    assert scenario_from(DEFAULTS, controls) == DEFAULTS


def test_a_value_beyond_the_usual_range_is_shown_not_clamped() -> None:
    control = lever("agents", 1500)
    assert control.value == 1500 and control.max >= 1500
    control = lever("need_minutes", 200.0)
    assert control.value == 200.0
    assert (
        scenario_from(DEFAULTS.replace(agents=1500), {"agents": lever("agents", 1500)}).agents
        == 1500
    )


def test_infinite_values_are_a_position_on_the_slider() -> None:
    control = lever("repair_sla_minutes", math.inf)
    assert control.label == NO_LIMIT
    control.value = 60.0
    assert scenario_from(DEFAULTS, {"repair_sla_minutes": control}).repair_sla_minutes == 60.0


def test_a_shift_plan_is_left_alone_until_its_lever_moves() -> None:
    plan = presets.load("shift-plan")
    controls = levers(["agents"], plan)
    assert scenario_from(plan, controls).agents == plan.agents
    controls["agents"].value = 25
    assert scenario_from(plan, controls).agents == 25


def test_unknown_lever_names_the_nearest() -> None:
    with pytest.raises(ValueError, match="did you mean 'agents'"):
        levers(["agnets"], DEFAULTS)


# --- the dashboard --------------------------------------------------------------------------


def expected(scenario: Scenario, seed: int, n: int) -> dict[str, float]:
    """Mean KPIs of n replications computed straight from simulate()."""
    rows = [simulate(scenario, seed=seed, replication=r).kpis for r in range(n)]
    return {k: float(np.nanmean([row[k] for row in rows])) for k in rows[0]}


@pytest.fixture
def dash(monkeypatch: pytest.MonkeyPatch) -> Dashboard:
    calls = []
    real = dashboard_module.simulate

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard_module, "simulate", counting)
    d = Dashboard(SHORT, ["agents", "care_minutes", "warmup_hours"], replications=2, seed=3)
    d.simulate_calls = calls
    return d


def test_moving_a_lever_shows_what_simulate_gives(dash: Dashboard) -> None:
    assert dash.runs == 1 and len(dash.simulate_calls) == 2
    dash.set_lever("agents", 24)
    assert dash.runs == 2 and len(dash.simulate_calls) == 4, "one batch per change"
    want = expected(SHORT.replace(agents=24), seed=3, n=2)
    for kpi in ("nps", "service_level", "asa_seconds", "fcr", "enps"):
        assert dash.kpis[kpi] == pytest.approx(want[kpi], rel=1e-12), kpi
    assert f"{want['nps']:.1f}" in dash.nps_html.value
    assert f"{100 * want['service_level']:.0f} %" in dash.tiles_html.value
    assert f"{want['asa_seconds']:.1f} s" in dash.tiles_html.value
    assert "Mean of 2 simulated days, seed 3" in dash.status.value
    assert dash.controls["agents"].disabled is False
    assert dash.nps_interval[0] < want["nps"] < dash.nps_interval[1]
    assert "from 2 simulated days" in dash.nps_html.value, "the CI says what it rests on"


def test_a_bad_combination_is_shown_in_the_panel_and_the_last_numbers_stay(dash: Dashboard) -> None:
    before = dict(dash.kpis)
    dash.set_lever("warmup_hours", 2.0)  # not less than the 2-hour horizon
    assert "warmup_hours=2.0" in dash.error.value and "horizon_hours" in dash.error.value
    assert dash.kpis == before and dash.runs == 1
    dash.set_lever("warmup_hours", 0.0)
    assert dash.error.value == "" and dash.runs == 2


def test_unknown_lever_and_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="replications=0"):
        Dashboard(SHORT, ["agents"], replications=0)
    with pytest.raises(ValueError, match="plots="):
        Dashboard(SHORT, ["agents"], replications=1, plots=["pie"])
    d = Dashboard(SHORT, ["agents"], replications=1)
    with pytest.raises(ValueError, match="not a lever of this dashboard"):
        d.set_lever("care_minutes", 2.0)


def test_pins_compare_runs_and_export_without_overwriting(dash: Dashboard, tmp_path) -> None:
    dash.pin()
    dash.set_lever("agents", 22)
    dash.pin()
    table = dash.pinned_table()
    assert list(table.columns) == ["#1 start", "#2 agents=22"]
    want = expected(SHORT.replace(agents=22), seed=3, n=2)
    assert table.at["nps", "#2 agents=22"] == pytest.approx(want["nps"], rel=1e-12)
    assert "Pinned runs" in dash.pinned_html.value
    path = tmp_path / "pins.csv"
    dash.export_pins(path)
    back = pd.read_csv(path, index_col="kpi")
    assert back.at["nps", "#2 agents=22"] == pytest.approx(want["nps"], rel=1e-9)
    assert back.at["nps", "unit"] == "points"
    written = path.read_bytes()
    with pytest.raises(FileExistsError, match="already exists"):
        dash.export_pins(path)
    dash.set_lever("agents", 26)
    dash.pin()
    offered = dash.pins_download  # the panel's way out: a browser download, no file written
    assert offered.name == "pinned-runs.csv" and offered.data is not None
    from_page = pd.read_csv(io.BytesIO(offered.data), index_col="kpi")
    assert list(from_page.columns) == ["unit", "#1 start", "#2 agents=22", "#3 agents=26"]
    assert from_page.at["nps", "#2 agents=22"] == pytest.approx(want["nps"], rel=1e-9)
    assert 'download="pinned-runs.csv"' in offered.link.value
    assert "3 pinned runs" in offered.message.value
    assert path.read_bytes() == written
    for bad in ("../up.csv", "/etc/x.csv", "a/b.csv", " "):
        dash.export_name.value = bad
        assert offered.data is None and "not a plain file name" in offered.message.value
    dash.export_name.value = 'my "pins"<b>'
    assert offered.data is None and "&lt;b&gt;" in offered.message.value
    dash.export_name.value = "week 3"
    assert offered.name == "week 3.csv"
    dash.clear_pins()
    assert dash.pinned_table().empty and offered.data is None


def test_names_typed_in_a_dashboard_show_as_written_in_its_html() -> None:
    """A dashboard with the name and description as levers: markup typed into them shows as
    text in the pinned runs' table and in the page a static export shows."""
    d = Dashboard(SHORT, ["name", "description"], replications=1, run_button=True)
    d.set_lever("name", ALL)
    d.set_lever("description", OTHER)
    d.run()  # as the Run button does
    pinned = d.pin()
    assert pinned.scenario.name == ALL and pinned.scenario.description == OTHER
    label = f"#1 name={ALL}, description={OTHER}"
    assert_shown_as_text(d.pinned_html.value, "the pinned runs", [label])
    assert_shown_as_text(d.static_html(), "the static page", [f"Name = {ALL}"])
    assert d.controls["name"].value == ALL, "the text box holds the name as typed"


def test_erlang_beside_is_exact_for_the_textbook_queue() -> None:
    erlang = presets.load("erlang").replace(horizon_hours=4.0, warmup_hours=1.0)
    shown = erlang_beside(erlang, {})
    truth = analytic.erlang_a_metrics(200.0, 3.0, 14, 5.0, 20.0)
    assert shown["exact"] and shown["formula"] == "Erlang A"
    assert shown["service_level"] == truth.service_level
    assert shown["abandonment_rate"] == truth.p_abandon
    patient = erlang_beside(erlang.replace(patience_minutes=math.inf), {})
    assert patient["formula"] == "Erlang C"
    assert patient["asa_seconds"] == analytic.erlang_c_metrics(200.0, 3.0, 14).asa_seconds
    d = Dashboard(erlang, ["agents"], replications=1)
    assert f"{100 * truth.service_level:.0f} %" in d.erlang_html.value
    assert "exact" in d.erlang_html.value


def test_erlang_is_an_approximation_with_behaviour_and_absent_with_a_shift_plan() -> None:
    res = simulate(SHORT, seed=2)
    shown = erlang_beside(SHORT, res.kpis)
    assert not shown["exact"]
    assert shown["arrivals_per_hour"] == pytest.approx(res.kpis["queued"] / 2.0)
    assert erlang_beside(presets.load("shift-plan"), res.kpis) is None
    d = Dashboard(
        presets.load("shift-plan").replace(horizon_hours=8.0), ["care_minutes"], replications=1
    )
    assert "shift plan" in d.erlang_html.value


# --- predict, then see ---------------------------------------------------------------------


def test_a_prediction_reveals_the_guess_beside_the_model_and_only_after_a_guess() -> None:
    from servicesim.widgets import Prediction

    ask = Prediction(
        "Cut the target: what happens to the NPS?",
        ["rises", "about the same", "falls"],
        answer="NPS falls by 9 points",
        conclusion="Shorter contacts solve fewer issues.",
        correct="falls",
    )
    assert ask.reveal_button.disabled and ask.result.value == ""
    with pytest.raises(ValueError, match="make a guess first"):
        ask.reveal()
    ask.make_guess("rises")
    assert not ask.reveal_button.disabled
    ask.reveal_button.click()
    shown = ask.result.value
    assert "Your guess: <b>rises</b>" in shown and "NPS falls by 9 points" in shown
    assert "Not what you expected?" in shown and "Shorter contacts" in shown
    assert ask.reveal_button.disabled and ask.picker.disabled, "the guess stands once revealed"
    with pytest.raises(ValueError, match="not one of the choices"):
        ask.make_guess("sideways")


def test_a_typed_guess_is_shown_as_text_not_markup() -> None:
    from servicesim.widgets import Prediction

    ask = Prediction("How many agents?", answer="about 30", unit="agents")
    ask.make_guess(27)
    ask.reveal()
    assert "Your guess: <b>27 agents</b>" in ask.result.value
    sneaky = Prediction("Which?", ["<b>bold</b>", "plain"], answer="<i>x</i>")
    sneaky.make_guess("<b>bold</b>")
    sneaky.reveal()
    assert "&lt;b&gt;bold&lt;/b&gt;" in sneaky.result.value
    assert "&lt;i&gt;x&lt;/i&gt;" in sneaky.result.value
    for bad, match in (
        ({"question": " ", "answer": "a"}, "question"),
        ({"question": "q", "answer": ""}, "answer"),
        ({"question": "q", "answer": "a", "choices": ["x"], "correct": "y"}, "correct"),
        ({"question": "q", "answer": "a", "choices": ["x", "x"]}, "differ"),
    ):
        with pytest.raises(ValueError, match=match):
            Prediction(**bad)


def walk(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(walk(child))
    return found


def test_every_button_is_as_wide_as_its_words() -> None:
    """ipywidgets' default button width cuts longer names off ("Export compar…")."""
    from servicesim.widgets import BreakdownScores, Lab, Prediction

    panels = [
        Dashboard(SHORT, ["agents"], replications=1, run_button=True).widget,
        Lab(SHORT, replications=1).widget,
        Prediction("Which?", ["up", "down"], answer="up").widget,
        BreakdownScores(breakdowns=1).widget,
    ]
    buttons = [w for panel in panels for w in walk(panel) if isinstance(w, widgets.Button)]
    names = {b.description for b in buttons}
    assert {"Pin this run", "Add to comparison", "Compare"} <= names
    assert all(b.layout.width == "auto" for b in buttons), [
        b.description for b in buttons if b.layout.width != "auto"
    ]


def test_a_question_about_two_numbers_reveals_both() -> None:
    from servicesim.widgets import Prediction

    ask = Prediction(
        "Cheaper, and the NPS?",
        ["cheaper, NPS lower", "dearer, NPS higher"],
        answer=["Cost per contact: 4.10 → 3.32", "NPS: 28.4 → <b>21.2</b>"],
        correct="cheaper, NPS lower",
    )
    ask.make_guess("cheaper, NPS lower")
    ask.reveal()
    assert "The model: Cost per contact: 4.10 → 3.32; NPS: 28.4 → &lt;b&gt;21.2" in ask.result.value
    for empty in ([], ["fine", " "]):
        with pytest.raises(ValueError, match="answer must not be empty"):
            Prediction("q", ["a", "b"], answer=empty)


def test_a_page_without_python_shows_each_panels_static_stand_in(monkeypatch) -> None:
    """Exported to HTML with no kernel (servicesim handouts), a panel is its static stand-in:
    the dashboard's levers, tiles and charts; a prediction's question with its answer folded."""
    from servicesim.widgets import Prediction
    from servicesim.widgets import static as static_module

    shown: list[dict] = []
    monkeypatch.setattr(static_module, "display", lambda bundle, raw: shown.append(bundle))
    dash = Dashboard(SHORT, ["agents"], replications=1, seed=3)
    dash._ipython_display_()
    ask = Prediction("Which <b>way</b>?", ["up", "down"], answer=["NPS: 28 → 30"], conclusion="c")
    ask._ipython_display_()
    board, question = shown
    for bundle, widget in ((board, dash.widget), (question, ask.widget)):
        view = bundle["application/vnd.jupyter.widget-view+json"]
        assert view["model_id"] == widget.model_id, "live pages show the widget itself"
    static = board["text/html"]
    assert f"Agents = {SHORT.agents}" in static
    for kpi in ("service_level", "nps"):
        assert tile_text(kpi, dash.kpis[kpi]) in static
    assert static.count("data:image/png;base64,") == 1
    folded = question["text/html"]
    assert "Which &lt;b&gt;way&lt;/b&gt;?" in folded and "<li>up</li>" in folded
    assert "<details><summary>Reveal the model's answer</summary><p>NPS: 28 → 30</p>" in folded


# --- colour and contrast --------------------------------------------------------------------

#: Machado, Oliveira and Fernandes (2009), severity 1: linear-RGB matrices.
DEFICIENCIES = {
    "deuteranopia": [[0.367, 0.861, -0.228], [0.280, 0.673, 0.047], [-0.012, 0.043, 0.969]],
    "protanopia": [[0.152, 1.053, -0.205], [0.115, 0.786, 0.099], [-0.004, -0.048, 1.052]],
}


def linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    ) @ np.clip(rgb_linear, 0, 1)
    f = np.cbrt(xyz / np.array([0.9505, 1.0, 1.089]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    la, lb = (float(np.dot([0.2126, 0.7152, 0.0722], linear(c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def smallest_difference(colours: list[str], deficiency: str) -> float:
    seen = [lab(np.array(DEFICIENCIES[deficiency]) @ linear(c)) for c in colours]
    return min(
        float(np.linalg.norm(seen[i] - seen[j]))
        for i in range(len(seen))
        for j in range(i + 1, len(seen))
    )


@pytest.mark.parametrize("deficiency", sorted(DEFICIENCIES))
def test_the_nps_bars_colours_stay_apart_for_colour_blind_eyes(deficiency: str) -> None:
    from servicesim import plots

    apart = 30  # CIE76 distance: clearly different colours, not a shade of one another
    assert smallest_difference([plots.PROMOTER, plots.PASSIVE, plots.DETRACTOR], deficiency) > apart
    old = ["#2e9e55", "#a0a0a0", "#d2452f"]  # the green, grey and red this replaced
    assert smallest_difference(old, deficiency) < apart, "the check finds the old colours"


def test_the_nps_bar_has_shapes_and_readable_text(dash: Dashboard) -> None:
    from servicesim.widgets.dashboard import MUTED, NPS_PARTS

    shown = dash.nps_html.value
    for mark, colour, ink in NPS_PARTS.values():
        assert contrast(colour, ink) >= 4.5, (colour, ink)
        assert shown.count(mark) == 2, "a shape in the bar and in its legend"
    assert contrast(MUTED, "#ffffff") >= 4.5
    assert contrast("#ffffff", "#a0a0a0") < 4.5, "the check finds the old white-on-grey text"


# --- answers off the widget thread -----------------------------------------------------------


def test_changes_during_a_run_merge_and_only_the_newest_runs(monkeypatch) -> None:
    """Four quick presses while a run is under way: the run in progress stops at its next day,
    the presses in between never run, and the panel ends on simulate's numbers for the last."""
    import threading
    import time

    started: list[int] = []
    release = threading.Event()
    real = dashboard_module.simulate

    def slow(scenario, seed, replication):
        if replication == 0:
            started.append(scenario.agents)
        if scenario.agents == 25:
            release.wait(10)  # hold the first change's run until every press is in
        return real(scenario, seed=seed, replication=replication)

    dash = Dashboard(SHORT, ["agents"], replications=3, seed=2)
    monkeypatch.setattr(dashboard_module, "simulate", slow)
    slider = dash.controls["agents"]
    slider.value = 25  # as the page sends it: the kernel's thread returns at once
    deadline = time.monotonic() + 10
    while 25 not in started and time.monotonic() < deadline:
        time.sleep(0.01)
    for value in (26, 27, 28):
        slider.value = value
    assert 'data-state="stale"' in dash.nps_html.value, "numbers under way are marked"
    release.set()
    assert dash.wait(30)
    assert started == [25, 28], "the presses in between merged into the newest"
    assert dash.scenario.agents == 28 and dash.runs == 2
    want = expected(SHORT.replace(agents=28), 2, 3)
    assert dash.kpis["nps"] == pytest.approx(want["nps"], rel=1e-12)
    assert 'data-state="settled"' in dash.nps_html.value
    assert "Mean of 3 simulated days, seed 2" in dash.status.value


def test_the_first_day_shows_before_the_others(dash: Dashboard) -> None:
    shown: list[str] = []
    dash.nps_html.observe(lambda change: shown.append(change["new"]), names="value")
    dash.set_lever("agents", 23)
    states = [s.split('data-state="')[1].split('"')[0] for s in shown]
    assert states == ["stale", "first", "settled"], states
    day0 = simulate(SHORT.replace(agents=23), seed=3, replication=0).kpis["nps"]
    assert f">{day0:.1f}<" in shown[1] and "first simulated day of 2" in shown[1]


def test_each_slider_has_a_number_box_that_follows_it() -> None:
    control = lever("agents", 30)
    box = control.number_box
    assert (box.min, box.max, box.step, box.value) == (control.min, control.max, 1, 30)
    assert control.readout is False, "the box is the readout: one number, not two"
    assert isinstance(lever("care_minutes", 1.0).number_box, widgets.BoundedFloatText)
    assert not hasattr(lever("always_offer_human", False), "number_box")
