import subprocess
from pathlib import Path

import pandas as pd
import pytest

import plot_adoption
import plot_sweep
from parecon_results import ResultFolderError, load_results, load_sweep, load_sweep_series, sweep_completeness, sweep_provenance


def test_load_results_reads_series_runs_and_provenance(result_folder):
    r = load_results(result_folder)
    assert r.scenario == "baseline"
    assert len(r.manifest["scenario_sha256"]) == 64
    assert sorted(r.series["replicate"].unique()) == [0, 1, 2]
    assert r.series["month"].max() == 48
    assert r.runs.shape[0] == 3


def test_bands_are_ordered_and_match_pandas(result_folder):
    r = load_results(result_folder)
    b = r.bands("workforce_pay")
    assert (b["p5"] <= b["p50"]).all() and (b["p50"] <= b["p95"]).all()
    last = r.series[r.series.month == 48]["workforce_pay"]
    assert b.loc[48, "mean"] == pytest.approx(last.mean())
    with pytest.raises(KeyError):
        r.bands("no_such_column")


def test_missing_files_are_named(tmp_path):
    with pytest.raises(ResultFolderError, match="manifest.json is missing"):
        load_results(tmp_path)


def test_plot_adoption_writes_png_and_svg(result_folder, tmp_path):
    assert plot_adoption.main([str(result_folder), "--out", str(tmp_path / "a")]) == 0
    assert (tmp_path / "a.png").stat().st_size > 1000
    assert (tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")


def test_sweep_loads_with_point_parameters_and_heatmap(sweep_folder, tmp_path):
    runs = load_sweep(sweep_folder)
    assert runs.shape[0] == 8
    assert set(runs["voting.rule"]) == {"majority", "supermajority"}
    assert runs.groupby("point").size().eq(2).all()
    assert plot_sweep.main([str(sweep_folder), "--x", "opinion.beta", "--y", "voting.rule", "--out", str(tmp_path / "h")]) == 0
    assert (tmp_path / "h.png").is_file()
    assert plot_sweep.main([str(sweep_folder), "--x", "nope", "--y", "voting.rule"]) == 1


def test_an_unfinished_sweep_is_said_and_refused_for_indices(sweep_folder, tmp_path, capsys):
    import sensitivity
    from conftest import tool
    shard = tmp_path / "half.sqlite"
    subprocess.run([tool(), "sweep", sweep_folder.parent / "s.yaml", "--out", shard, "--every", "12", "--shard", "1/2", "-q"],
                   check=True, capture_output=True)
    assert sweep_completeness(shard) == (2, 4) and sweep_completeness(sweep_folder) == (4, 4)
    assert plot_sweep.main([str(shard), "--x", "opinion.beta", "--y", "voting.rule"]) == 0
    err = capsys.readouterr().err
    assert "not finished: 2 of 4 points recorded" in err
    assert (tmp_path / "half-grid.png").is_file()  # not half-heatmap: that name is the report's
    assert plot_sweep.main([str(sweep_folder), "--x", "opinion.beta", "--y", "voting.rule", "--out", str(tmp_path / "f")]) == 0
    assert "not finished" not in capsys.readouterr().err
    with pytest.raises(ResultFolderError, match="not finished: 2 of 4 points recorded"):
        sensitivity.point_means(shard, "final_workforce_both")
    exported = tmp_path / "half-csv"
    subprocess.run([tool(), "export", shard, "--to", exported], check=True, capture_output=True)
    assert sweep_completeness(exported) == (2, 4)


def test_database_and_export_folder_load_alike(sweep_folder, sweep_export):
    from_db, from_csv = load_sweep(sweep_folder), load_sweep(sweep_export)
    assert list(from_db.columns) == list(from_csv.columns)
    assert from_db["seed"].astype(str).tolist() == from_csv["seed"].astype(str).tolist()
    assert from_db["coercion_free"].tolist() == from_csv["coercion_free"].tolist()
    # The export keeps 6 significant digits.
    assert from_db["final_workforce_both"].to_numpy() == pytest.approx(from_csv["final_workforce_both"].to_numpy(), rel=1e-5)
    series = load_sweep_series(sweep_folder)
    assert sorted(series["month"].unique()) == [0, 12, 24, 36]
    assert len(series) == 8 * 4 and set(series["voting.rule"]) == {"majority", "supermajority"}
    db_provenance, csv_provenance = sweep_provenance(sweep_folder), sweep_provenance(sweep_export)
    assert db_provenance["sha256"] == csv_provenance["sweep_sha256"]
    assert db_provenance["tool_commit"] == csv_provenance["tool_commit"] != ""
    assert (sweep_export / "runs.csv").read_text().startswith("# parecon-sim ")


def test_a_file_that_is_not_a_sweep_is_named(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("plain text")
    with pytest.raises(ResultFolderError, match="bad.sqlite: not a parecon-sim sweep database"):
        load_sweep(bad)
    with pytest.raises(ResultFolderError, match="no such sweep"):
        load_sweep(tmp_path / "none.sqlite")


def test_scripts_have_help(capsys):
    for module in (plot_adoption, plot_sweep):
        with pytest.raises(SystemExit) as exit_info:
            module.main(["--help"])
        assert exit_info.value.code == 0
    assert "usage" in capsys.readouterr().out


def test_sweep_series_plot_draws_one_curve_per_value(sweep_folder, sweep_export, tmp_path):
    # The other varied parameter is fixed, never pooled.
    assert plot_adoption.main([str(sweep_folder), "--by", "voting.rule", "--where", "opinion.beta=0.8",
                               "--out", str(tmp_path / "a")]) == 0
    svg = (tmp_path / "a.svg").read_text()
    assert "majority (2 runs)" in svg and "supermajority (2 runs)" in svg
    assert plot_adoption.main([str(sweep_export), "--by", "opinion.beta", "--where", "voting.rule=majority",
                               "--out", str(tmp_path / "b")]) == 0
    assert plot_adoption.main([str(sweep_folder)]) == 1, "a sweep needs --by"
    assert plot_adoption.main([str(sweep_folder), "--by", "nope"]) == 1


def test_sweep_curves_refuse_to_pool_other_parameters(sweep_folder, capsys):
    assert plot_adoption.main([str(sweep_folder), "--by", "voting.rule"]) == 1
    assert "opinion.beta also vary" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        plot_adoption.main([str(sweep_folder), "--by", "voting.rule", "--where", "opinion.beta"])
    assert bad.value.code == 2 and "--where expects KEY=VALUE" in capsys.readouterr().err
    assert plot_adoption.main([str(sweep_folder), "--by", "voting.rule", "--where", "opinion.beta=9"]) == 1
    assert "no run has opinion.beta = 9" in capsys.readouterr().err


def test_non_share_columns_are_drawn_as_they_are(sweep_folder):
    from matplotlib.figure import Figure

    fig = plot_adoption.sweep_figure(sweep_folder, "voting.rule", "pressure", {"opinion.beta": "0.8"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "pressure"
    top = max(max(line.get_ydata()) for line in ax.lines)
    assert 0 < top < 10, "pressure is not multiplied by 100"
    share = plot_adoption.sweep_figure(sweep_folder, "voting.rule", "workforce_both", {"opinion.beta": "0.8"})
    assert share.axes[0].get_ylabel() == "workforce_both (%)" and share.axes[0].get_ylim() == (0, 100)


def test_run_folder_plot_keeps_the_reports_own_chart(result_folder):
    report_chart = result_folder / "adoption.svg"
    report_chart.write_text("<svg>the report's</svg>")
    assert plot_adoption.main([str(result_folder)]) == 0
    assert report_chart.read_text() == "<svg>the report's</svg>"
    assert (result_folder / "adoption-curves.svg").is_file()


def test_notebook_example_runs():
    """The Jupyter example executes top to bottom with a real kernel (nbclient)."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(__file__).resolve().parents[1] / "examples" / "explore-results.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure is displayed"


def test_robustness_report_from_tiny_runs(tmp_path):
    """The robustness script runs the tool end to end and writes every section with real figures."""
    import robustness

    doc = tmp_path / "doc" / "ROBUSTNESS.md"
    assert robustness.main(["--quick", "--out", str(tmp_path / "out"), "--doc", str(doc), "--threads", "2"]) == 0
    text = doc.read_text()
    for heading in ["## 1. The paths under three momentum formulations", "## 2. The pending cost",
                    "## 3. Orderings over joint ±25% parameter uncertainty", "## 4. What decides the differences",
                    "## 5. Does equitable pay last without BJC?", "## 6. One parameter at a time",
                    "## 7. What holds and what does not"]:
        assert heading in text
    pairs = pd.read_csv(tmp_path / "out" / "pairs.csv")
    assert set(pairs["setting"]) == {"legacy, 48 months", "aged, 48 months", "saturating, 48 months", "saturating, 72 months"}
    assert pairs["p_adopts_more"].between(0, 1).all() and pairs["p_faster"].between(0, 1).all()
    paths = pd.read_csv(tmp_path / "out" / "paths.csv")
    assert len(paths) == 2 * 3 * 5
    # Prefigurative never adopts over anyone (by construction); majority adopts over someone.
    assert (paths[paths["path"] == "prefigurative"]["opposition"] == 0).all()
    morris = pd.read_csv(tmp_path / "out" / "morris.csv")
    assert len(morris) == 4 * len(robustness.morris_names()) and (morris["mu_star"] >= 0).all()
    # The class fields, moved one number at a time, and the integer neighbourhood size are screened.
    assert {"opinion.field_coordinator.bjc", "population.neighbourhood_size", "voting.blocking_level"} <= set(morris["parameter"])
    scans = pd.read_csv(tmp_path / "out" / "scans.csv")
    for key, (values, _) in robustness.SCANS.items():
        consensus = scans[(scans["parameter"] == key) & (scans["path"] == "consensus-only")]
        assert sorted(consensus["value"]) == sorted(values), key
    # The blocking level decides only consensus votes: the other rules run once.
    blocking = scans[scans["parameter"] == "voting.blocking_level"]
    assert (blocking[blocking["path"] != "consensus-only"].groupby("path").size() == 1).all()
    assert text.startswith("<!-- generated: model ")
    assert (doc.parent / "images" / "robustness-morris.png").stat().st_size > 1000
    equity = pd.read_csv(tmp_path / "out" / "equity.csv")
    assert len(equity) == 5 * 10 and equity["retained"].between(0, 1).all()
    # With pay drift off nothing drifts, whatever the coordinators' weight.
    assert (equity[equity["drift_multiplier"] == 0]["drifts"] == 0).all()
    assert "**Without BJC, equitable pay" in text and "## 5. Does equitable pay" in text


def test_pair_probabilities_count_ties_as_half():
    import robustness

    draws = pd.DataFrame({
        "path": ["a", "a", "b", "b"], "draw": [1, 2, 1, 2],
        "both_adopted": [0.6, 0.4, 0.5, 0.4], "opposition_per_1000": [10, 10, 20, 5],
        "restricted_mean_months_to_50_bjc": [100, 240, 120, 240]})
    p = robustness.pair_probabilities(draws, [("a", "b")]).iloc[0]
    assert p["p_adopts_more"] == 0.75      # wins at draw 1, tie at draw 2
    assert p["p_less_opposition"] == 0.5   # wins at 1, loses at 2
    assert p["p_faster"] == 0.75


def _fake_checkout(tmp_path, release_age, debug_age, source_age=100.0):
    """A folder laid out like a checkout, with files aged by seconds before now (None: absent)."""
    import os
    import time
    now = time.time()
    (tmp_path / "Sources").mkdir()
    src = tmp_path / "Sources" / "a.swift"
    src.write_text("")
    os.utime(src, (now - source_age, now - source_age))
    for cfg, age in (("release", release_age), ("debug", debug_age)):
        if age is not None:
            exe = tmp_path / ".build" / cfg / "parecon-sim"
            exe.parent.mkdir(parents=True)
            exe.write_text("")
            os.utime(exe, (now - age, now - age))
    return tmp_path


def test_find_tool_prefers_the_release_build_and_says_which(tmp_path, monkeypatch, capsys):
    from parecon_results import find_tool
    monkeypatch.delenv("PARECON_SIM", raising=False)
    root = _fake_checkout(tmp_path, release_age=50, debug_age=10)  # both current, debug newer
    assert find_tool("t", root=root) == root / ".build/release/parecon-sim"
    assert "using .build/release/parecon-sim" in capsys.readouterr().err


def test_find_tool_takes_a_current_debug_build_over_a_stale_release(tmp_path, monkeypatch, capsys):
    from parecon_results import find_tool
    monkeypatch.delenv("PARECON_SIM", raising=False)
    root = _fake_checkout(tmp_path, release_age=500, debug_age=10)
    assert find_tool("t", root=root) == root / ".build/debug/parecon-sim"
    err = capsys.readouterr().err
    assert "using .build/debug/parecon-sim" in err and "older" not in err


def test_find_tool_warns_when_every_build_is_older_than_the_sources(tmp_path, monkeypatch, capsys):
    from parecon_results import find_tool
    monkeypatch.delenv("PARECON_SIM", raising=False)
    root = _fake_checkout(tmp_path, release_age=500, debug_age=400)
    assert find_tool("t", quiet=True, root=root) == root / ".build/release/parecon-sim"
    assert "older than the newest file in Sources/" in capsys.readouterr().err


def test_find_tool_without_a_build_says_how_to_make_one(tmp_path, monkeypatch):
    from parecon_results import find_tool
    monkeypatch.delenv("PARECON_SIM", raising=False)
    root = _fake_checkout(tmp_path, release_age=None, debug_age=None)
    with pytest.raises(SystemExit, match="swift build -c release"):
        find_tool("t", root=root)
