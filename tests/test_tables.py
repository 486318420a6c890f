"""KPI tables for people: rounding per unit, chosen KPIs, clear errors for unknown ones."""

from __future__ import annotations

import pytest

from servicesim import compare, kpi_table, presets, replicate, simulate

SHORT = presets.load("baseline").replace(horizon_hours=2.0)


def test_replication_table_rounds_each_kpi_for_its_unit() -> None:
    reps = replicate(SHORT, replications=3, seed=4)
    table = kpi_table(reps, ["nps", "service_level", "contacts"])
    assert list(table.index) == ["nps", "service_level", "contacts"]
    summary = reps.summary
    assert table.at["nps", "mean"] == f"{summary.at['nps', 'mean']:.1f}"
    assert table.at["service_level", "ci_low"] == f"{summary.at['service_level', 'ci_low']:.3f}"
    assert table.at["contacts", "mean"] == f"{summary.at['contacts', 'mean']:.0f}"
    assert table.at["nps", "unit"] == "points"


def test_comparison_table_marks_clear_differences_only() -> None:
    c = compare(
        {"short": SHORT.replace(agents=22), "more": SHORT.replace(agents=34)},
        replications=4,
        seed=4,
    )
    table = kpi_table(c, ["asa_seconds", "nps"])
    d = c.differences
    for kpi in ("asa_seconds", "nps"):
        row = table.loc[(kpi, "more")]
        assert (row["sig"] == "*") == bool(d.at[("more", kpi), "significant"])
        assert table.loc[(kpi, "short"), "diff"] == ""
    assert table.loc[("asa_seconds", "more"), "sig"] == "*", "12 more agents must cut ASA clearly"


def test_unknown_kpi_names_the_nearest() -> None:
    with pytest.raises(ValueError, match="unknown KPI 'npss'; did you mean 'nps'"):
        kpi_table(replicate(SHORT, replications=2, seed=1), ["npss"])


def test_nps_by_agrees_with_the_kpis_computed_from_the_run_record() -> None:
    """nps_by() works from the issues table; the KPIs from the raw records: two routes."""
    result = simulate(presets.load("baseline"), seed=5)
    by = result.nps_by()
    kpis = result.kpis
    expected = {
        ("all", "all"): kpis["nps"],
        ("segment", "new"): kpis["nps_new"],
        ("segment", "loyal"): kpis["nps_loyal"],
        ("channel", "bot"): kpis["nps_bot"],
        ("channel", "human only"): kpis["nps_human"],
    }
    for row, value in expected.items():
        assert by.at[row, "nps"] == pytest.approx(value, abs=1e-9), row
    counts = by["customers"]
    assert counts[("segment", "new")] + counts[("segment", "loyal")] == counts[("all", "all")]
    assert counts[("channel", "bot")] + counts[("channel", "human only")] == counts[("all", "all")]
    ended = result.issues[result.issues.score >= 0]
    assert counts[("all", "all")] == len(ended), "every scored issue of the day is counted"


def test_plain_table_reads_like_the_dashboard_and_marks_clear_changes() -> None:
    from servicesim import compare
    from servicesim.kpis import KPI_INFO, KPI_LABELS
    from servicesim.tables import plain_table, plain_value
    from servicesim.widgets.dashboard import TILES

    assert set(KPI_LABELS) == set(KPI_INFO), "every KPI has a plain label"
    assert all(KPI_LABELS[k] == label for k, label in TILES.items()), "tiles use the labels"
    base = presets.load("baseline").replace(horizon_hours=2.0)
    c = compare({"now": base, "more": base.replace(agents=34)}, 3, seed=2)
    table = plain_table(c, ["service_level", "asa_seconds", "nps", "enps"])
    assert list(table.index) == ["Service level", "Average wait to answer", "NPS", "Employee NPS"]
    assert list(table.columns) == ["now", "more", "more: change"]
    summary, diffs = c.summary, c.differences
    assert (
        table.at["Service level", "now"]
        == f"{100 * summary.at[('now', 'service_level'), 'mean']:.0f} %"
    )
    assert table.at["Average wait to answer", "more"].endswith(" s")
    for kpi, label in (("asa_seconds", "Average wait to answer"), ("enps", "Employee NPS")):
        d = diffs.loc[("more", kpi)]
        verdict = "clear" if (d["ci_low"] > 0 or d["ci_high"] < 0) else "not clear"
        assert table.at[label, "more: change"].endswith(f"({verdict})"), (kpi, d)
    assert plain_value("fcr", 0.05, signed=True) == "+5 points"
    assert plain_value("fcr", 0.731) == "73 %"
    assert plain_value("asa_seconds", float("nan")) == "n/a"


def test_change_sentence_says_before_after_and_whether_it_is_clear() -> None:
    from servicesim import compare
    from servicesim.tables import change_sentence

    base = presets.load("baseline").replace(horizon_hours=2.0)
    c = compare({"now": base, "more": base.replace(agents=36)}, 3, seed=2)
    before = c.summary.at[("now", "asa_seconds"), "mean"]
    after = c.summary.at[("more", "asa_seconds"), "mean"]
    d = c.differences.loc[("more", "asa_seconds")]
    clear = "a clear difference" if (d["ci_low"] > 0 or d["ci_high"] < 0) else "not a clear"
    sentence = change_sentence(c, "more", "asa_seconds")
    assert sentence.startswith(
        f"Average wait to answer: {before:.1f} s (now) → {after:.1f} s (more); "
    ), "each number with the set-up it belongs to"
    assert clear in sentence
    with pytest.raises(ValueError, match="'now' is not allowed"):
        change_sentence(c, "now", "nps")


def test_plain_table_can_leave_out_the_changes_and_long_waits_read_in_minutes() -> None:
    from servicesim.tables import plain_table, plain_value

    base = presets.load("baseline").replace(horizon_hours=2.0)
    c = compare({"now": base, "fewer": base.replace(agents=10)}, 2, seed=2)
    table = plain_table(c, ["asa_seconds", "service_level"], changes=False)
    assert list(table.columns) == ["now", "fewer"]
    assert plain_value("asa_seconds", 119.4) == "119.4 s"
    assert plain_value("asa_seconds", 1454.3) == "24 min"
    assert plain_value("asa_seconds", -150.0, signed=True) == "-2 min"
    wait = c.summary.at[("fewer", "asa_seconds"), "mean"]
    assert wait > 120, "10 agents for 265 issues an hour fall far behind"
    assert table.at["Average wait to answer", "fewer"] == f"{wait / 60:.0f} min"


def test_mean_sentence_gives_the_mean_and_its_likely_range() -> None:
    from servicesim.tables import mean_sentence

    days = replicate(SHORT, replications=3, seed=4)
    row = days.summary.loc["promoters"]
    assert mean_sentence(days, "promoters") == (
        f"Promoters (9-10): {100 * row['mean']:.0f} % on average over 3 simulated days "
        f"(likely between {100 * row['ci_low']:.0f} % and {100 * row['ci_high']:.0f} %)"
    )
    with pytest.raises(ValueError, match="needs Replications"):
        mean_sentence(compare({"a": SHORT, "b": SHORT.replace(agents=31)}, 2, seed=1), "nps")


def test_change_sentence_pairs_any_two_scenarios_of_a_comparison() -> None:
    from servicesim.tables import change_sentence

    base = presets.load("baseline").replace(horizon_hours=2.0)
    c = compare(
        {
            "now": base,
            "fewer": base.replace(agents=26),
            "fewer, more care": base.replace(agents=26, care_minutes=3.0),
        },
        3,
        seed=2,
    )
    runs = c.runs["asa_seconds"]
    paired = (runs.loc["fewer, more care"] - runs.loc["fewer"]).to_numpy()
    sentence = change_sentence(c, "fewer, more care", "asa_seconds", against="fewer")
    before = runs.loc["fewer"].mean()
    assert sentence.startswith(f"Average wait to answer: {before:.1f} s (fewer) → ")
    assert f"(fewer, more care); {paired.mean():+.1f} s, " in sentence
    with pytest.raises(ValueError, match="'elsewhere' is not allowed"):
        c.difference("fewer", "elsewhere")


def test_cause_table_and_sentence_read_one_days_detractors_in_plain_words() -> None:
    from servicesim.tables import CAUSE_LABELS, cause_sentence, cause_table

    day = simulate(SHORT, seed=3)
    issues = day.issues
    detractors = issues[(issues.score >= 0) & (issues.score <= 6)]
    counted = detractors.main_cause.value_counts()
    table = cause_table(day)
    for cause, label in CAUSE_LABELS.items():
        n = int(counted.get(cause, 0))
        assert table.at[label, "main cause for"] == f"{n} detractors"
        assert table.at[label, "share of detractors"] == f"{100 * n / len(detractors):.0f} %"
    n = int(counted.get("process", 0))
    assert cause_sentence(day, "process") == (
        f"{CAUSE_LABELS['process']}: the main cause for {n} of {len(detractors)} detractors "
        f"({100 * n / len(detractors):.0f} %)"
    )
    with pytest.raises(ValueError, match="'weather' is not allowed"):
        cause_sentence(day, "weather")
    days = replicate(SHORT, replications=2, seed=3)
    for bad in (cause_sentence, cause_table):
        with pytest.raises(ValueError, match="needs one day's Results, got Replications"):
            bad(days, "process") if bad is cause_sentence else bad(days)


def test_as_text_keeps_headings_of_several_words_apart() -> None:
    """Printed in a workbook, each heading sits over its own column, underlined on its own,
    so "now" and "no corner cutting" never read as one heading."""
    import re

    from servicesim.tables import as_text, plain_table

    base = presets.load("baseline").replace(horizon_hours=2.0)
    c = compare({"now": base, "no corner cutting": base.replace(pressure_sensitivity=0.0)}, 2)
    table = plain_table(c, ["fcr", "asa_seconds", "cost_per_contact"])
    assert table.iloc[2].str.fullmatch(r"[+-]?\d+\.\d\d.*").all(), "costs with two decimals"
    heading, rule, *rows = as_text(table).splitlines()
    assert re.split(r"\s{2,}", heading.strip()) == list(table.columns)
    dashes = [m.span() for m in re.finditer(r"-+", rule)]
    assert len(dashes) == 1 + len(table.columns), "one underline per column and the row names"
    for name, (start, end) in zip(table.columns, dashes[1:], strict=True):
        assert heading[start:end].strip() == name, "each heading lies over its own underline"
    assert [row[: dashes[0][1]].strip() for row in rows] == list(table.index)
    for row, (_, values) in zip(rows, table.iterrows(), strict=True):
        assert [row[a:b].strip() for a, b in dashes[1:]] == list(values)


def test_as_text_prints_each_value_exactly_as_formatted() -> None:
    import pandas as pd

    from servicesim.tables import as_text

    frame = pd.DataFrame({"now": ["4.10", "28.0", "-0.50"]}, index=["cost", "nps", "change"])
    rows = as_text(frame).splitlines()[2:]
    assert [row.split()[-1] for row in rows] == ["4.10", "28.0", "-0.50"]


def test_a_wide_table_wraps_its_headings_not_its_values() -> None:
    import pandas as pd

    from servicesim.tables import as_text

    long = "bots first, human offered, 26 agents: change"
    frame = pd.DataFrame(
        {"now": ["4.10", "13.1 s"], "bots first": ["2.27", "7.9 s"], long: ["-1.62 (clear)"] * 2},
        index=["Cost per contact", "Average wait to answer"],
    )
    narrow = as_text(frame, width=60)
    lines = narrow.splitlines()
    assert max(len(line) for line in lines) <= 60
    rows = [line for line in lines if line.startswith(("Cost", "Average"))]
    assert len(rows) == 2 and all(row.endswith("-1.62 (clear)") for row in rows), "values whole"
    heading = " ".join(
        line[-len("-1.62 (clear)") :].strip()
        for line in lines[: lines.index(next(ln for ln in lines if ln.startswith("---")))]
    )
    assert heading.split() == long.split(), "the heading reads on, line by line"
    assert as_text(frame) == frame.to_markdown(
        tablefmt="simple", colalign=["left", "right", "right", "right"], disable_numparse=True
    ), "a table that fits is left as it is"


def test_money_is_shown_after_the_currency_symbol_chosen() -> None:
    from servicesim.tables import plain_table, plain_value

    assert plain_value("cost_per_resolution", 6.153) == "6.15", "no symbol unless asked"
    assert plain_value("cost_per_resolution", 6.153, currency="€") == "€6.15"
    assert plain_value("cost_per_contact", -0.256, signed=True, currency="$") == "-$0.26"
    assert plain_value("cost_per_contact", 0.256, signed=True, currency="CHF") == "+CHF 0.26"
    assert plain_value("nps", 30.0, currency="€") == "30.0", "only money gets the symbol"
    for bad in ("12", "<b>", "euros", " "):
        with pytest.raises(ValueError, match=r"currency=.* is not allowed"):
            plain_table(replicate(SHORT, 2, seed=1), ["cost_per_contact"], currency=bad)
