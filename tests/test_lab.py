"""The what-if lab, headless: load, edit, keep, compare on common random numbers, export."""

from __future__ import annotations

import html
import io

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from servicesim import compare, load, loads, presets
from servicesim.experiment import SequentialExecutor
from servicesim.widgets import Lab

SHORT = presets.load("baseline").replace(horizon_hours=2.0, name="short")


@pytest.fixture
def lab() -> Lab:
    return Lab(SHORT, ["agents", "care_minutes"], replications=3, seed=8, dashboard_replications=1)


def test_compare_gives_what_compare_gives(lab: Lab) -> None:
    lab.add("now")
    lab.dashboard.set_lever("agents", 34)
    lab.add("34 agents")
    result = lab.compare()
    direct = compare(
        {"now": SHORT.replace(name="now"), "34 agents": SHORT.replace(agents=34, name="34 agents")},
        replications=3,
        seed=8,
        executor=SequentialExecutor(),
    )
    pd.testing.assert_frame_equal(result.runs, direct.runs)
    shown = lab.results_html.value
    diff = direct.differences.loc[("34 agents", "asa_seconds"), "mean"]
    assert f"{diff:+.1f} s (" in shown and "common random" in shown
    assert "Average wait to answer" in shown and "asa_seconds" not in shown, "plain names"
    chart = lab.causes_chart.axes[0]
    assert "change against now" in chart.get_title(), "the cause-change chart is shown"
    shown_widths = [bar.get_width() for bar in chart.patches]
    assert shown_widths == pytest.approx(direct.cause_changes().loc["34 agents", "mean"].tolist())


def test_mistakes_are_messages_in_the_panel(lab: Lab) -> None:
    lab._guarded(lab.compare)
    assert "at least two" in lab.message.value
    lab.add("now")
    lab._guarded(lambda: lab.add("now"))
    assert "already in the comparison" in lab.message.value
    lab.path.value = "no-such-file.toml"
    lab._guarded(lambda: lab.load(lab.path.value))
    assert "no-such-file.toml" in lab.message.value
    lab._guarded(lambda: lab.load_text("agents = [", "mine.toml"))
    assert "uploaded file 'mine.toml': not valid TOML" in html.unescape(lab.message.value)
    lab._guarded(lambda: lab.load_text("[staffing]\nagents = -3\n", "mine.toml"))
    assert "agents=-3" in lab.message.value
    assert lab.scenario.agents == SHORT.agents, "a failed load keeps the scenario being edited"


def test_loading_a_preset_a_file_and_an_upload(lab: Lab, tmp_path) -> None:
    lab.load("bots-first")
    assert lab.scenario == presets.load("bots-first")
    assert lab.dashboard.controls["agents"].value == presets.load("bots-first").agents
    path = tmp_path / "mine.toml"
    SHORT.replace(agents=27, name="mine").to_toml(path)
    assert lab.load(str(path)).agents == 27
    uploaded = lab.load_text('base = "baseline"\n[staffing]\nagents = 25\n', "up.toml")
    assert uploaded == presets.load("baseline").replace(agents=25)


def test_exports_never_overwrite_unasked(lab: Lab, tmp_path) -> None:
    lab.add("now")
    lab.dashboard.set_lever("care_minutes", 2.0)
    lab.add("more care")
    lab.compare()
    path = tmp_path / "comparison.csv"
    lab.export(path)
    back = pd.read_csv(path, index_col=["scenario", "kpi"])
    assert back.at[("more care", "fcr"), "mean"] == pytest.approx(
        lab.comparison.summary.at[("more care", "fcr"), "mean"]
    )
    with pytest.raises(FileExistsError, match="already exists"):
        lab.export(path)
    toml = tmp_path / "s.toml"
    lab.name.value = "my set-up"
    lab.save_scenario(toml)
    assert load(toml) == lab.scenario.replace(name="my set-up")
    with pytest.raises(FileExistsError):
        lab.save_scenario(toml)


def test_the_panel_offers_the_comparison_and_the_scenario_as_downloads(
    lab: Lab, tmp_path, monkeypatch
) -> None:
    """What the buttons of section 4 give is a file in the browser: nothing is written on
    the machine the kernel runs on (not in the lab's folder, not in the package)."""
    monkeypatch.chdir(tmp_path)
    offered = lab.comparison_download
    assert offered.data is None and "Compare first" in offered.message.value
    lab.add("now")
    lab.dashboard.set_lever("agents", 34)
    lab.name.value = "more <agents>"
    lab.add()
    lab.compare()
    assert offered.name == "comparison.csv"
    assert offered.data is not None and offered.data.decode() == lab.comparison_csv()
    back = pd.read_csv(io.BytesIO(offered.data), index_col=["scenario", "kpi"])
    want = lab.comparison.differences.at[("more <agents>", "nps"), "mean"]
    assert back.at[("more <agents>", "nps"), "difference_mean"] == pytest.approx(want)
    assert "2 set-ups × 3 simulated days" in offered.message.value
    scenario = lab.scenario_download
    assert scenario.name == "my-scenario.toml"
    assert loads(scenario.data.decode(), source="download") == lab.scenario.replace(
        name="more <agents>"
    )
    lab.dashboard.set_lever("agents", 28)  # the file follows the levers
    assert loads(scenario.data.decode(), source="download").agents == 28
    lab.dashboard.controls["agents"].value = 0  # not allowed with these levers: said, no traceback
    lab.name.value = "again"
    assert scenario.data is None and "not allowed" in scenario.message.value
    lab.dashboard.set_lever("agents", 28)
    lab.scenario_file.value = "../../site-packages/x.toml"
    assert scenario.data is None and "not a plain file name" in scenario.message.value
    assert list(tmp_path.iterdir()) == [], "nothing written where the kernel runs"


def test_uploads_land_in_the_lab_folder_whatever_the_file_is_called(tmp_path, monkeypatch) -> None:
    """A team's design file named with folders (``../``, an absolute path, a Windows path)
    lands in the lab's challenge folder under a plain name; nothing is written elsewhere (not
    where the kernel runs, not up the tree)."""
    from datetime import datetime

    from servicesim.files import LAB_FOLDER

    room, kernel = tmp_path / "room" / "lab", tmp_path / "kernel"
    room.mkdir(parents=True)
    kernel.mkdir()
    monkeypatch.setenv(LAB_FOLDER, str(room))  # as `servicesim lab` started in room/lab
    monkeypatch.chdir(kernel)
    lab = Lab(SHORT, ["agents"], replications=3, seed=8, dashboard_replications=1)
    text = b'base = "baseline"\nagents = 26\n'
    absolute = tmp_path / "absolute.toml"
    names = ["../../escape.toml", "../escape-too.toml", str(absolute), "..\\..\\windows.toml"]
    lab.challenge.upload.value = tuple(
        {
            "name": n,
            "type": "",
            "size": len(text),
            "content": memoryview(text),
            "last_modified": datetime.now(),
        }
        for n in names
    )  # what the browser sends when a team picks these files
    assert "⚠" not in lab.challenge.message.value, lab.challenge.message.value
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    folder = "room/lab/challenge-designs/"
    plain = ["absolute.toml", "escape-too.toml", "escape.toml", "______windows.toml"]  # 6: ..\..\
    assert written == sorted(folder + name for name in plain), written


def test_a_served_lab_opens_typed_files_in_its_folder_only(tmp_path, monkeypatch) -> None:
    """The *File* box reads on the machine serving the lab: served to a room, it opens files
    in the lab's folder and refuses any other path, as a message in the panel."""
    from servicesim.files import LAB_FOLDER

    room, elsewhere = tmp_path / "room", tmp_path / "elsewhere"
    room.mkdir()
    elsewhere.mkdir()
    SHORT.replace(agents=27, name="mine").to_toml(room / "mine.toml")
    SHORT.replace(agents=33, name="private").to_toml(elsewhere / "private.toml")
    (room / "link.toml").symlink_to(elsewhere / "private.toml")
    lab = Lab(SHORT, ["agents"], replications=3, seed=8, dashboard_replications=1)
    assert lab.load_file(str(elsewhere / "private.toml")).agents == 33, "a notebook: any path"

    monkeypatch.setenv(LAB_FOLDER, str(room))  # as `servicesim lab` started in room
    assert lab.load_file("mine.toml").agents == 27
    for typed in ("../elsewhere/private.toml", str(elsewhere / "private.toml"), "link.toml"):
        lab._guarded(lambda t=typed: lab.load_file(t))
        message = lab.message.value
        assert "is not allowed here" in message and str(room) in message, (typed, message)
        assert lab.scenario.agents == 27, f"{typed} was loaded"
