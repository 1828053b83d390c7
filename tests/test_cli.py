"""Tests for the skgru command line."""

import csv
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

import skgru
from skgru import load_sample_series
from skgru._cli import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
N_POINTS = 600


def _sine():
    rng = np.random.default_rng(0)
    t = np.arange(N_POINTS)
    return np.round(np.sin(0.2 * t) + rng.normal(0, 0.1, N_POINTS), 5)


@pytest.fixture
def sine_csv(tmp_path):
    path = tmp_path / "sine.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["t", "value", "label"])
        for i, value in enumerate(_sine()):
            writer.writerow([f"{1000 + i}", f"{value}", "x"])
    return path


def _read_forecast(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], np.array(rows[1:], dtype=np.float64)


def _assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE


def _table(stdout):
    """Rows of the result table: name -> test MSE."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("model"))
    rows = {}
    for line in lines[start + 2 :]:
        if line.startswith("wall time"):
            break
        name, mse, *_ = re.split(r"\s{2,}", line.strip())
        rows[name] = float(mse)
    return rows


def test_forecast_csv_writes_predictions_and_plots(sine_csv, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["forecast", str(sine_csv), "--column", "value", "--time-column", "t"]
    argv += ["--window", "8", "--epochs", "2", "--out", str(out), "--seed", "1"]
    assert main(argv) == 0

    header, values = _read_forecast(out / "forecast.csv")
    assert header == ["time", "actual", "predicted"]
    # The last 20% of 600 values, each predicted once.
    assert values.shape == (120, 3)
    assert_allclose(values[:, 0], 1000 + np.arange(480, 600))
    assert_allclose(values[:, 1], _sine()[480:])
    assert np.all(np.isfinite(values[:, 2]))
    for name in ("forecast.png", "loss_curve.png"):
        _assert_png(out / name)

    captured = capsys.readouterr()
    assert "epoch 1/2  loss " in captured.out
    assert "epoch 2/2  loss " in captured.out
    rows = _table(captured.out)
    assert list(rows) == [
        "skgru (GRU, 8 steps)",
        "naive (last value)",
        "ridge (8 lags)",
    ]
    naive = np.mean((_sine()[480:] - _sine()[479:-1]) ** 2)
    assert rows["naive (last value)"] == pytest.approx(naive, rel=2e-3)


def test_forecast_sample_quiet_prints_only_the_table(tmp_path, capsys):
    # sp500 is monthly: 391 values, predicted 3 months ahead.
    out = tmp_path / "out"
    argv = ["forecast", "--sample", "sp500", "--window", "8", "--horizon", "3"]
    argv += ["--epochs", "1", "--out", str(out), "--quiet"]
    assert main(argv) == 0

    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0].startswith("model")
    assert len(lines) == 2 + 3 + 1  # header, rule, three models, wall time
    assert lines[-1].startswith("wall time:")

    series = load_sample_series("sp500")
    n_test = round(0.2 * len(series))
    _, values = _read_forecast(out / "forecast.csv")
    assert_allclose(values[:, 0], np.arange(len(series) - n_test, len(series)))
    assert_allclose(values[:, 1], series[-n_test:])
    naive = np.mean((series[-n_test:] - series[-n_test - 3 : -3]) ** 2)
    assert _table(captured.out)["naive (last value)"] == pytest.approx(naive, rel=1e-4)


@pytest.mark.parametrize(
    "options, window", [([], 16), (["--long"], 128)], ids=["default", "long"]
)
def test_demo_prints_the_four_rows(tmp_path, capsys, options, window):
    out = tmp_path / "out"
    argv = ["demo", *options, "--epochs", "1", "--n-points", "3000"]
    assert main(argv + ["--out", str(out), "--quiet"]) == 0

    rows = _table(capsys.readouterr().out)
    assert list(rows) == [
        f"skgru (GRU, {window} steps)",
        "naive (last value)",
        f"ridge ({window} lags)",
        "noise floor",
    ]
    assert rows["noise floor"] == pytest.approx(0.00333, abs=1e-5)
    assert 0.03 < rows["naive (last value)"] < 0.045
    assert rows["noise floor"] < rows[f"ridge ({window} lags)"] < 0.008
    for name in ("actual_vs_predicted.png", "loss_curve.png"):
        _assert_png(out / name)


def _write(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text)
    return path


def _series_csv(tmp_path, n=100, bad_line=None, bad_value=None):
    lines = ["t,value"] + [f"{i},{np.sin(0.2 * i):.4f}" for i in range(n)]
    if bad_line is not None:
        lines[bad_line - 1] = f"{bad_line - 2},{bad_value}"
    return _write(tmp_path, "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "make_argv, message",
    [
        (
            lambda p: [str(_series_csv(p)), "--column", "price"],
            r"column 'price' not found in .*data\.csv; its columns are 't', 'value'$",
        ),
        (
            lambda p: [
                str(_series_csv(p, bad_line=5, bad_value="abc")),
                "--column",
                "value",
            ],
            r"column 'value' holds 'abc' at line 5 of .*, which is not a number$",
        ),
        (
            lambda p: [
                str(_series_csv(p, bad_line=7, bad_value="")),
                "--column",
                "value",
            ],
            r"column 'value' has a gap \(an empty value\) at line 7 of .*; fill or",
        ),
        (
            lambda p: [
                str(_series_csv(p, bad_line=9, bad_value="NaN")),
                "--column",
                "value",
            ],
            r"column 'value' holds 'NaN' at line 9 of .*; fill or drop missing values",
        ),
        (
            lambda p: [str(_series_csv(p, n=40)), "--column", "value"],
            r"the series has 40 values, too few for windows of 32 values, horizon 1 "
            r"and a test part of 20%: .* about 65 values",
        ),
        (
            lambda p: [str(p / "missing.csv"), "--column", "value"],
            r"file not found: .*missing\.csv$",
        ),
        (
            lambda p: [str(_series_csv(p))],
            r"--column NAME is required with .*data\.csv$",
        ),
        (
            lambda p: [str(_series_csv(p)), "--column", "value", "--sample", "sp500"],
            r"give either FILE\.csv with --column NAME, or --sample membrane\|sp500$",
        ),
        (
            lambda p: ["--sample", "sp500", "--test-fraction", "1.5"],
            r"argument --test-fraction: must be a number between 0 and 1",
        ),
        (
            lambda p: ["--sample", "sp500", "--window", "0"],
            r"argument --window: must be a positive integer, got '0' "
            r"\(see 'skgru forecast --help'\)$",
        ),
        (
            lambda p: [str(_write(p, "")), "--column", "value"],
            r"data\.csv is empty$",
        ),
        (
            lambda p: [str(_write(p, "t,value\n1,2\n2\n")), "--column", "value"],
            r"line 3 of .* has 1 fields, the header has 2$",
        ),
    ],
    ids=[
        "missing-column",
        "non-numeric",
        "gap",
        "nan",
        "too-short",
        "missing-file",
        "no-column",
        "file-and-sample",
        "bad-fraction",
        "bad-window",
        "empty-file",
        "ragged-row",
    ],
)
def test_forecast_bad_input_is_one_line_and_exit_code_2(
    tmp_path, capsys, make_argv, message
):
    argv = ["forecast", *make_argv(tmp_path), "--out", str(tmp_path / "out")]
    assert main(argv) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("skgru: error: ")
    assert re.search(message, captured.err.rstrip("\n")), captured.err
    assert not (tmp_path / "out").exists()


def test_no_command_is_an_error(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err == (
        "skgru: error: the following arguments are required: COMMAND "
        "(see 'skgru --help')\n"
    )


def test_help_returns_0(capsys):
    assert main(["demo", "--help"]) == 0
    assert "--long" in capsys.readouterr().out


def test_python_m_skgru_exits_2_without_traceback(tmp_path):
    # The real process: its exit status and stderr.
    root = os.path.dirname(os.path.dirname(skgru.__file__))
    env = {**os.environ, "PYTHONPATH": root}
    result = subprocess.run(
        [sys.executable, "-m", "skgru", "forecast", str(tmp_path / "no.csv")]
        + ["--column", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"skgru: error: file not found: {tmp_path / 'no.csv'}\n"
