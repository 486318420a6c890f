"""The table challenge as a facilitator runs it: ``servicesim challenge BRIEF DESIGNS...``.

Every design is scored on the same simulated days as today's centre; the ranking is checked
against paired differences computed here with :func:`servicesim.compare`, rule breakers and
limit misses are flagged, the order of the files changes nothing, and bad input is one line
with exit code 2. The centre is a two-hour day so the runs stay short.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from servicesim import compare, load
from servicesim.brief import load_brief
from servicesim.challenge import TODAY, score
from servicesim.cli import main

REPS = 6
BRIEF = """
name = "The table challenge"
says = "Highest NPS, answer 30 % of calls within 20 seconds, at most 5.5 per contact."
base = "short.toml"
objective = "nps"
levers = ["agents", "care_minutes", "bot_share"]
constraints = ["service_level>=0.3", "cost_per_contact<=5.5"]
"""
#: Team designs (file stem -> TOML after the base line).
DESIGNS = {
    "red": "agents = 33\n",
    "blue": "agents = 33\n",  # the same design as red
    "green": "agents = 26\n",  # too few: a queue builds
    "amber": "agents = 32\ncare_minutes = 1.02\n",  # hardly different from red
    "rogue": "agents = 33\nneed_minutes = 3.5\n",  # changes a field that is no lever
    "lavish": "agents = 40\n",  # breaks the cost limit
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("challenge")
    (root / "short.toml").write_text('base = "baseline"\nhorizon_hours = 2.0\n', encoding="utf-8")
    (root / "brief.toml").write_text(BRIEF, encoding="utf-8")
    for name, body in DESIGNS.items():
        (root / f"{name}.toml").write_text(f'base = "short.toml"\n{body}', encoding="utf-8")
    return root


def files(folder: Path, *names: str) -> list[str]:
    return [str(folder / f"{name}.toml") for name in names]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["challenge", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def board(folder: Path):
    designs = {name: load(folder / f"{name}.toml") for name in DESIGNS}
    return score(load_brief(folder / "brief.toml"), designs, replications=REPS, seed=3)


def test_every_design_runs_on_todays_days_and_rule_breakers_get_no_rank(board, folder) -> None:
    table = board.table
    brief = load_brief(folder / "brief.toml")
    scenarios = {TODAY: brief.base, **{n: load(folder / f"{n}.toml") for n in sorted(DESIGNS)}}
    direct = compare(scenarios, REPS, seed=3).summary
    for name in DESIGNS:
        assert table.at[name, "nps"] == pytest.approx(direct.at[(name, "nps"), "mean"])
        assert table.at[name, "nps_ci_low"] == pytest.approx(direct.at[(name, "nps"), "ci_low"])
    assert not table.at["rogue", "valid"] and pd.isna(table.at["rogue", "rank"])
    assert (
        "need_minutes" in table.at["rogue", "reason"]
        and "not a lever" in table.at["rogue", "reason"]
    )
    cost = direct.at[("lavish", "cost_per_contact"), "mean"]
    assert cost > 5.5, "the lavish design must break the cost limit for this test to mean anything"
    assert not table.at["lavish", "valid"] and pd.isna(table.at["lavish", "rank"])
    assert table.at["lavish", "reason"] == f"misses cost_per_contact<=5.5 ({cost:.4g})"
    assert set(table.index[-2:]) == {"lavish", "rogue"}, "designs that are out come last"


def test_identical_designs_share_a_rank_and_a_clear_gap_starts_a_new_one(board, folder) -> None:
    table = board.table
    assert table.loc["red"].drop("reason").equals(table.loc["blue"].drop("reason"))
    assert table.at["red", "rank"] == table.at["blue", "rank"]
    assert table.at["red", "tied"] and table.at["blue", "tied"]
    brief = load_brief(folder / "brief.toml")
    ranked = {n: load(folder / f"{n}.toml") for n in ("red", "amber", "green")}
    pairs = compare({TODAY: brief.base, **ranked}, REPS, seed=3)
    best = max(ranked, key=lambda n: pairs.summary.at[(n, "nps"), "mean"])
    assert table.at[best, "rank"] == 1 and table.index[0] in (best, "red", "blue")
    for name in set(ranked) - {best}:
        gap = pairs.difference(best, name).loc["nps"]
        apart = gap["ci_low"] > 0 or gap["ci_high"] < 0
        assert (table.at[name, "rank"] > 1) == apart, (name, gap.to_dict())
    gap = pairs.difference(best, "green").loc["nps"]
    assert gap["ci_low"] > 0, "26 agents must be clearly worse than 32 or 33 here"
    assert table.at["green", "rank"] == 4, "ranked by place: three designs above it tie at 1"


def test_the_scoreboard_does_not_depend_on_the_order_of_the_files(folder, capsys) -> None:
    names = list(DESIGNS)
    outputs = []
    for order, out in ((names, "one"), (names[::-1], "two")):
        argv = [str(folder / "brief.toml"), *files(folder, *order), "--reps", "3"]
        code, printed, err = run(capsys, *argv, "--out", str(folder / out))
        assert code == 0, err
        table = printed.split("\nWrote ")[0]
        outputs.append(((folder / out / "scoreboard.csv").read_bytes(), table))
    assert outputs[0] == outputs[1]
    assert (folder / "one" / "scoreboard.png").stat().st_size > 10_000


def test_the_csv_has_the_columns_a_facilitator_needs(folder, capsys) -> None:
    code, printed, err = run(
        capsys,
        str(folder / "brief.toml"),
        *files(folder, "red", "rogue"),
        "--reps",
        "3",
        "--out",
        str(folder / "csv"),
    )
    assert code == 0, err
    table = pd.read_csv(folder / "csv" / "scoreboard.csv")
    for column in ("design", "rank", "valid", "reason", "nps", "nps_ci_low", "nps_ci_high"):
        assert column in table.columns
    for kpi in ("service_level", "cost_per_contact"):
        assert {kpi, f"{kpi}_ci_low", f"{kpi}_ci_high"} <= set(table.columns)
    assert {f"detractors_{c}" for c in ("process", "rules", "people")} <= set(table.columns)
    assert list(table["design"]) == ["red", "rogue"]
    assert table["valid"].tolist() == [True, False] and pd.isna(table.at[1, "rank"])
    lines = printed.splitlines()
    assert any(line.startswith("red ") and " 1 " in line for line in lines)
    assert any(line.startswith("rogue ") and " out " in line for line in lines)
    assert any(line.startswith("today ") for line in lines), "today's centre for reference"
    causes = ["process", "rules", "presentation", "product", "people", "none"]
    red = table.iloc[0]
    top = max(causes, key=lambda c: red[f"detractors_{c}"])
    name = "No cause" if top == "none" else top.capitalize()
    share = f"{100 * red[f'detractors_{top}']:.0f} %"
    assert any(line.startswith("red ") and f"{name} ({share})" in line for line in lines)
    again = run(
        capsys, str(folder / "brief.toml"), *files(folder, "red"), "--out", str(folder / "csv")
    )
    assert again[0] == 2 and "scoreboard.csv" in again[2], "nothing is replaced without --force"


@pytest.mark.parametrize(
    ("brief", "designs", "message"),
    [
        ('base = "baseline"\nlevers = ["agents"]\n', ["red"], "'objective' is missing"),
        (
            'base = "baseline"\nobjective = "nps"\nlevers = ["agnets"]\n',
            ["red"],
            "did you mean 'agents'",
        ),
        ('base = "baseline"\nobjective = "npss"\nlevers = ["agents"]\n', ["red"], "objective KPI"),
        (
            'base = "baseline"\nobjective = "nps"\nlevers = ["agents"]\nconstraints = ["nps>>3"]\n',
            ["red"],
            "nps>>3",
        ),
        ("objective = nps", ["red"], "not valid TOML"),
        (None, ["missing"], "does not exist"),
        (None, ["broken"], "not valid TOML"),
        (None, ["unknown"], "agnets"),
        (None, ["red", "sub/red"], "two designs are called 'red'"),
        (None, ["today"], "'today'"),
    ],
)
def test_a_malformed_brief_or_design_is_one_line_and_exit_2(
    brief: str | None, designs: list[str], message: str, folder: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "short.toml").write_text('base = "baseline"\nhorizon_hours = 1.0\n', "utf-8")
    (tmp_path / "red.toml").write_text('base = "short.toml"\nagents = 31\n', "utf-8")
    (tmp_path / "sub" / "red.toml").write_text('base = "baseline"\nagents = 32\n', "utf-8")
    (tmp_path / "today.toml").write_text('base = "baseline"\n', "utf-8")
    (tmp_path / "broken.toml").write_text("agents = = 3\n", "utf-8")
    (tmp_path / "unknown.toml").write_text('base = "baseline"\nagnets = 3\n', "utf-8")
    path = folder / "brief.toml" if brief is None else tmp_path / "bad-brief.toml"
    if brief is not None:
        path.write_text(brief, encoding="utf-8")
    code, out, err = run(capsys, str(path), *files(tmp_path, *designs), "--reps", "2")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("servicesim: error: ")
    assert message in err


def test_a_shipped_brief_is_named_and_an_unknown_one_is_refused(folder, capsys) -> None:
    code, _, err = run(capsys, "northbrok", *files(folder, "red"))
    assert code == 2 and "neither a brief file nor a shipped brief (shipped: northbrook)" in err


def test_the_command_runs_as_a_user_types_it(folder: Path) -> None:
    command = [sys.executable, "-m", "servicesim.cli", "challenge", "brief.toml", "red.toml"]
    done = subprocess.run(
        [*command, "amber.toml", "--reps", "2"],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "The table challenge: 2 designs, each on the same 2 simulated days" in done.stdout


# --- the projector panel --------------------------------------------------------------------


def test_the_lab_panel_collects_uploads_in_one_folder_and_scores_them(folder, tmp_path) -> None:
    from servicesim.widgets import ChallengeBoard

    brief = load_brief(folder / "brief.toml")
    board = ChallengeBoard(brief, tmp_path / "designs", replications=3, seed=3)
    red = (folder / "red.toml").read_text(encoding="utf-8").replace("short.toml", "baseline")
    red += "horizon_hours = 2.0\n"
    path = board.add_design(red, "red.toml")
    assert path == tmp_path / "designs" / "red.toml" and path.read_text("utf-8") == red
    sneaky = red.replace("agents = 33", 'agents = 26\nname = "<b>bold</b>"')
    board.add_design(sneaky, "<img src=x onerror=alert(1)>.toml")
    another_page = ChallengeBoard(brief, tmp_path / "designs", replications=3, seed=3)
    assert sorted(another_page.designs()) == ["_img_src_x_onerror_alert_1__", "red"]
    with pytest.raises(FileExistsError, match="'red' is already in"):
        board.add_design(red, "red.toml")
    board.add_design(red, "red.toml", overwrite=True)
    for text, name, message in (
        ("agnets = 3\n", "typo.toml", "agnets"),
        ("x" * (64 * 1024 + 1), "huge.toml", "larger than 64 KB"),
        (red, "today.toml", "'today'"),
    ):
        with pytest.raises(ValueError, match=message):
            board.add_design(text, name)
    assert sorted(p.name for p in (tmp_path / "designs").iterdir()) == [
        "_img_src_x_onerror_alert_1__.toml",
        "red.toml",
    ], "a refused design is not saved"
    shown = another_page.score()
    direct = score(brief, another_page.designs(), replications=3, seed=3)
    pd.testing.assert_frame_equal(shown.table, direct.table)
    shown_html = another_page.table_html.value + another_page.designs_html.value
    assert "<img" not in shown_html and "<b>bold" not in shown_html
    assert "_img_src_x_onerror_alert_1__" in shown_html and "red" in shown_html
    assert another_page.figure is not None


def test_an_empty_folder_is_a_message_not_a_crash(tmp_path) -> None:
    from servicesim.widgets import ChallengeBoard

    board = ChallengeBoard(folder=tmp_path / "nothing", replications=2)
    board._guarded(board.score)
    assert "no designs yet" in board.message.value
