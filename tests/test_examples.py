"""Run every example script, quickly and headless."""

import runpy
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("plot_*.py"))


def test_examples_are_found():
    assert EXAMPLES, "no examples/plot_*.py next to tests/"


# One epoch leaves every loss still falling; the warning says so, as it should.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_runs_and_draws(path, monkeypatch, tmp_path):
    # One epoch per fit: the examples read SKGRU_EXAMPLE_EPOCHS.
    monkeypatch.setenv("SKGRU_EXAMPLE_EPOCHS", "1")

    # Headless. MPLBACKEND only counts before pyplot is first imported, so
    # switch the backend of this process too; plt.show must not block.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    matplotlib.use("Agg")
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)

    # Run where any stray output file would show up.
    monkeypatch.chdir(tmp_path)
    plt.close("all")
    try:
        runpy.run_path(str(path), run_name="__main__")
        n_figures = len(plt.get_fignums())
    finally:
        plt.close("all")

    assert n_figures >= 1, f"{path.name} drew no figure"
    assert not list(tmp_path.iterdir()), f"{path.name} wrote files"
