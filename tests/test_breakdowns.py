"""The breakdown-scoring form of workbook 6, headless: the totals are the scores set, the model's
panel is the day's detractors by main cause, and what a participant types stays text."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")

from servicesim import Results, presets, simulate
from servicesim.widgets import BreakdownScores
from servicesim.widgets import breakdowns as breakdowns_module
from servicesim.widgets import static as static_module

ORDER = ("process", "rules", "presentation", "product", "people")
LABELS = ["Process", "Rules", "Presentation", "Product", "People"]
#: breakdown -> cause -> score, set through the public methods.
SCORES = {
    1: {"process": 9, "rules": 2, "presentation": 4, "product": 1, "people": 7},
    2: {"process": 6, "rules": 8, "presentation": 3, "product": 10, "people": 2},
    3: {"process": 5, "rules": 1, "presentation": 1, "product": 4, "people": 6},
}
#: The same sums, added up by hand.
TOTALS = {"process": 20, "rules": 11, "presentation": 8, "product": 15, "people": 15}


@pytest.fixture(scope="module")
def day() -> Results:
    return simulate(presets.load("baseline"), seed=1)


def scored(result: Results | None = None) -> BreakdownScores:
    form = BreakdownScores(result)
    for breakdown, row in SCORES.items():
        for cause, score in row.items():
            form.set_score(breakdown, cause, score)
    return form


def walk(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(walk(child))
    return found


def bars_by_label(figure: matplotlib.figure.Figure, panel: int) -> dict[str, float]:
    """Bar lengths of one panel, keyed by the cause label at the bar's height on the y axis."""
    figure.canvas.draw()
    ax = figure.axes[panel]
    ticks = dict(zip(figure.axes[0].get_yticks(), figure.axes[0].get_yticklabels(), strict=True))
    return {
        ticks[bar.get_y() + bar.get_height() / 2].get_text(): bar.get_width() for bar in ax.patches
    }


def test_default_is_three_breakdowns_of_five_sliders_each_all_usable() -> None:
    form = BreakdownScores()
    sliders = [w for w in walk(form.widget) if isinstance(w, widgets.IntSlider)]
    names = [w for w in walk(form.widget) if isinstance(w, widgets.Text)]
    assert len(sliders) == 15 and len(names) == 3
    assert all((s.min, s.max, s.step, s.value) == (0, 10, 1, 0) for s in sliders)
    assert not any(s.disabled for s in sliders)
    assert [s.description for s in sliders] == LABELS * 3
    assert all(n.placeholder == "e.g. the billing mix-up last Tuesday" for n in names)
    assert sum(isinstance(w, widgets.Button) for w in walk(form.widget)) == 1


def test_every_cause_is_explained_in_plain_words_beside_its_slider() -> None:
    text = " ".join(w.value for w in walk(BreakdownScores().widget) if isinstance(w, widgets.Label))
    for words in (
        "waits, hand-offs, calling again",
        "policies, forced through the bot",
        "little care, rushed, script-like",
        "a defect in what was sold",
        "no skill for it, a broken promise",
    ):
        assert text.count(words) == 3, words


@pytest.mark.parametrize("n", [1, 5])
def test_the_number_of_breakdowns_can_be_chosen(n: int) -> None:
    form = BreakdownScores(breakdowns=n)
    sliders = [w for w in walk(form.widget) if isinstance(w, widgets.IntSlider)]
    assert len(sliders) == 5 * n
    assert sum(isinstance(w, widgets.Text) for w in walk(form.widget)) == n


def test_totals_are_the_scores_summed_by_hand_in_a_fixed_order() -> None:
    totals = scored().totals()
    assert tuple(totals.index) == ORDER
    assert totals.to_dict() == TOTALS


def test_a_score_moves_its_own_slider_and_nothing_else() -> None:
    form = BreakdownScores()
    form.set_score(2, "product", 8)
    sliders = [w for w in walk(form.widget) if isinstance(w, widgets.IntSlider)]
    assert [s.value for s in sliders] == [0] * 8 + [8] + [0] * 6


def test_a_slider_moved_by_hand_counts_in_the_totals() -> None:
    form = BreakdownScores()
    sliders = [w for w in walk(form.widget) if isinstance(w, widgets.IntSlider)]
    sliders[4].value = 10  # breakdown 1, people
    sliders[10].value = 3  # breakdown 3, process
    assert form.totals().to_dict() == {
        "process": 3,
        "rules": 0,
        "presentation": 0,
        "product": 0,
        "people": 10,
    }


def test_an_untouched_form_counts_nothing_and_says_so(day: Results) -> None:
    form = BreakdownScores(day)
    assert form.totals().to_dict() == dict.fromkeys(ORDER, 0)
    form.show()
    html = " ".join(w.value for w in walk(form.widget) if isinstance(w, widgets.HTML))
    assert "Nothing scored yet" in html and "Your biggest cause" not in html
    assert all(width == 0 for width in bars_by_label(form.figure, 0).values())
    assert "nothing scored yet" in [t.get_text() for t in form.figure.axes[0].texts]


def test_shares_are_the_totals_over_all_points_and_add_up_to_one() -> None:
    shares = scored().shares()
    assert tuple(shares.index) == ORDER
    assert shares.sum() == pytest.approx(1.0)
    assert shares["process"] == pytest.approx(20 / 69)
    assert shares["presentation"] == pytest.approx(8 / 69)


def test_the_model_panel_is_the_days_share_of_detractors_by_main_cause(day: Results) -> None:
    form = scored(day)
    assert form.figure is None
    form.show()
    assert form.figure is not None and len(form.figure.axes) == 2
    expected = day.detractor_causes()["share"]
    model = bars_by_label(form.figure, 1)
    assert set(model) == set(LABELS)
    for cause, label in zip(ORDER, LABELS, strict=True):
        assert model[label] == pytest.approx(float(expected.loc[cause]))
    mine = bars_by_label(form.figure, 0)
    for cause, label in zip(ORDER, LABELS, strict=True):
        assert mine[label] == pytest.approx(TOTALS[cause] / 69)


def test_both_panels_list_the_causes_in_the_same_order_from_the_top(day: Results) -> None:
    form = scored(day)
    form.show()
    assert form.figure is not None
    form.figure.canvas.draw()
    mine, model = form.figure.axes
    assert mine.get_shared_y_axes().joined(mine, model)
    assert mine.yaxis_inverted() and model.yaxis_inverted()
    assert [t.get_text() for t in mine.get_yticklabels()] == LABELS


def test_each_bar_is_labelled_with_its_percentage(day: Results) -> None:
    form = scored(day)
    form.show()
    assert form.figure is not None
    mine = [t.get_text() for t in form.figure.axes[0].texts]
    assert mine == [f"{100 * TOTALS[c] / 69:.0f} %" for c in ORDER]
    shares = day.detractor_causes()["share"]
    model = [t.get_text() for t in form.figure.axes[1].texts]
    assert model == [f"{100 * shares.loc[c]:.0f} %" for c in ORDER]


def test_without_a_result_only_the_participants_panel_is_drawn() -> None:
    form = scored()
    form.show()
    assert form.figure is not None and len(form.figure.axes) == 1
    assert form.figure.axes[0].get_title() == "Your breakdowns"


def test_the_button_draws_the_figure_into_the_panel(
    day: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = scored(day)
    shown: list[object] = []
    monkeypatch.setattr(breakdowns_module, "display", shown.append)
    button = next(w for w in walk(form.widget) if isinstance(w, widgets.Button))
    assert button.description == "Show my totals"
    button.click()
    assert form.figure is not None and len(form.figure.axes) == 2
    assert shown == [form.figure]
    assert "Process" in form.summary.value


def test_the_sliders_stay_usable_while_the_figure_is_drawn(
    day: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = scored(day)
    seen: list[bool] = []
    draw = breakdowns_module.plt.subplots

    def watching(*args: object, **kwargs: object) -> object:
        seen.extend(s.disabled for row in form.sliders for s in row.values())
        return draw(*args, **kwargs)

    monkeypatch.setattr(breakdowns_module.plt, "subplots", watching)
    form.show()
    assert len(seen) == 15 and not any(seen)
    assert not any(s.disabled for row in form.sliders for s in row.values())


def test_a_typed_name_is_shown_escaped_never_as_markup() -> None:
    form = BreakdownScores()
    form.name_breakdown(1, "<script>alert(1)</script> & <b>bold</b>")
    form.name_breakdown(2, "the billing mix-up")
    form.show()
    html = [w.value for w in walk(form.widget) if isinstance(w, widgets.HTML)]
    assert not any("<script>" in value or "<b>bold" in value for value in html)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold" in v for v in html)
    assert any("the billing mix-up" in value for value in html)
    names = [w for w in walk(form.widget) if isinstance(w, widgets.Text)]
    assert names[0].value == "<script>alert(1)</script> & <b>bold</b>"
    assert not any(n.description_allow_html for n in names)


def test_a_name_is_at_most_sixty_characters() -> None:
    form = BreakdownScores()
    form.name_breakdown(1, "x" * 60)
    with pytest.raises(ValueError, match=r"61 characters.*at most 60"):
        form.name_breakdown(1, "x" * 61)
    box = [w for w in walk(form.widget) if isinstance(w, widgets.Text)][2]
    box.value = "y" * 75  # typed, or pasted, in the browser
    assert box.value == "y" * 60


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda f: f.set_score(1, "weather", 5),
            r"cause='weather'.*process, rules, presentation, product, people",
        ),
        (lambda f: f.set_score(0, "process", 5), r"breakdown=0.*\[1, 3\]"),
        (lambda f: f.set_score(4, "process", 5), r"breakdown=4.*\[1, 3\]"),
        (lambda f: f.set_score(1, "process", -1), r"score=-1.*\[0, 10\]"),
        (lambda f: f.set_score(1, "process", 11), r"score=11.*\[0, 10\]"),
        (lambda f: f.set_score(1, "process", 2.5), r"score=2.5.*\[0, 10\]"),
        (lambda f: f.name_breakdown(9, "late"), r"breakdown=9.*\[1, 3\]"),
    ],
)
def test_bad_scores_are_refused_naming_the_value_and_what_is_allowed(call, message: str) -> None:
    form = BreakdownScores()
    with pytest.raises(ValueError, match=message) as raised:
        call(form)
    assert "\n" not in str(raised.value)
    assert form.totals().to_dict() == dict.fromkeys(ORDER, 0)


@pytest.mark.parametrize("n", [0, 6, 2.0, True])
def test_the_number_of_breakdowns_is_checked(n: object) -> None:
    with pytest.raises(ValueError, match=r"breakdowns=.*\[1, 5\]") as raised:
        BreakdownScores(breakdowns=n)  # type: ignore[arg-type]
    assert "\n" not in str(raised.value)


def test_a_result_must_be_a_simulated_day() -> None:
    with pytest.raises(ValueError, match="result must be a servicesim Results"):
        BreakdownScores(presets.load("baseline"))  # type: ignore[arg-type]


def test_it_displays_its_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    form = BreakdownScores()
    shown: list[object] = []
    monkeypatch.setattr(static_module, "display", lambda bundle, raw: shown.append(bundle))
    form._ipython_display_()
    (bundle,) = shown
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == form.widget.model_id, "the live panel is the form itself"
    assert "Score your latest service breakdowns" in bundle["text/html"], "a static stand-in"


def test_the_summary_names_each_sides_biggest_cause(day: Results) -> None:
    form = scored(day)
    form.show()
    shares = day.detractor_causes()["share"].drop("none")
    first = str(shares.idxmax())
    assert "Your biggest cause: <b>Process</b> (29 % of your points)" in form.summary.value
    assert f"the model's: <b>{first.capitalize()}</b> ({100 * shares.max():.0f} %" in (
        form.summary.value
    )


def test_a_tie_names_every_cause_that_shares_the_lead() -> None:
    form = BreakdownScores()
    form.set_score(1, "rules", 4)
    form.set_score(3, "people", 4)
    form.show()
    assert "<b>Rules</b> and <b>People</b> (" in form.summary.value


def test_a_day_without_detractors_is_said_not_drawn_as_zeros(
    day: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = day.detractor_causes().assign(main_cause=0, share=float("nan"), any_cause=0)
    monkeypatch.setattr(day, "detractor_causes", lambda: empty)
    form = scored(day)
    form.show()
    assert form.figure is not None
    model = form.figure.axes[1]
    assert [bar.get_width() for bar in model.patches] == [0.0] * 5
    assert [t.get_text() for t in model.texts].count("n/a") == 5
    assert "no detractors this day" in [t.get_text() for t in model.texts]
    assert "the model's" not in form.summary.value
