"""Tests for the chronological split and the baselines of the command line."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skgru._evaluate import (
    baseline_predictions,
    format_table,
    holdout_windows,
    last_step,
    score_rows,
    split_point,
    training_windows,
)

SERIES = np.arange(100.0)


@pytest.mark.parametrize(
    "n_time, fraction, cut", [(100, 0.2, 80), (24_000, 0.2, 19_200), (391, 0.2, 313)]
)
def test_split_point_keeps_the_fraction_at_the_end(n_time, fraction, cut):
    assert split_point(n_time, fraction) == cut


@pytest.mark.parametrize("horizon, sequence", [(1, False), (3, False), (1, True)])
def test_holdout_windows_predict_every_test_step_from_the_past(horizon, sequence):
    X, y = holdout_windows(SERIES, 80, 8, horizon=horizon, sequence=sequence)

    # One window per test step; its last target is that step.
    assert_array_equal(last_step(y), SERIES[80:])
    # Each window ends horizon steps before its last target.
    assert_array_equal(X[:, -1], SERIES[80 - horizon : 100 - horizon])


@pytest.mark.parametrize("sequence", [False, True])
def test_training_windows_never_reach_the_test_part(sequence):
    X, y = training_windows(SERIES, 80, 8, stride=3, sequence=sequence)
    assert last_step(y).max() <= 79
    assert_array_equal(X[:2, 0], [0, 3])

    # With stride 1 the last training target is the last value before the cut.
    X, y = training_windows(SERIES, 80, 8, sequence=sequence)
    assert last_step(y).max() == 79
    assert X.max() == 78


def test_baselines_on_a_line():
    # On a straight line, Ridge on the lags is nearly exact and the naive
    # forecast is off by the slope times the horizon.
    predictions = baseline_predictions(SERIES, 80, 4, horizon=2)

    assert list(predictions) == ["naive (last value)", "ridge (4 lags)"]
    assert_array_equal(predictions["naive (last value)"], SERIES[78:98])
    assert_allclose(predictions["ridge (4 lags)"], SERIES[80:], atol=1e-2)


def test_format_table_lists_scores_and_ratios():
    rows = score_rows(
        np.zeros(4), {"model a": np.full(4, 0.1), "ridge (2 lags)": np.full(4, 0.2)}
    )
    assert rows == [
        ("model a", pytest.approx(0.01), pytest.approx(0.1)),
        ("ridge (2 lags)", pytest.approx(0.04), pytest.approx(0.2)),
    ]

    table = format_table(rows, reference="ridge (2 lags)", extra_rows=[("floor", 0.02)])
    lines = table.splitlines()
    assert lines[0].split() == ["model", "test", "MSE", "test", "MAE", "MSE/ridge"]
    assert lines[2].split() == ["model", "a", "0.0100", "0.1000", "0.250"]
    assert lines[4].split() == ["floor", "0.0200", "0.500"]
