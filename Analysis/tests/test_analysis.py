import pandas as pd
import pytest

import plot_adoption
import plot_sweep
from parecon_results import ResultFolderError, load_results, load_sweep


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


def test_scripts_have_help(capsys):
    for module in (plot_adoption, plot_sweep):
        with pytest.raises(SystemExit) as exit_info:
            module.main(["--help"])
        assert exit_info.value.code == 0
    assert "usage" in capsys.readouterr().out
