"""Tests for make_windows."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from skgru import make_windows


def test_1d_series_gives_windows_and_next_values():
    X, y = make_windows(np.arange(6.0), window=3)

    assert_array_equal(X, [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    assert_array_equal(y, [3, 4, 5])


def test_window_of_one_step():
    X, y = make_windows([5.0, 6.0, 7.0], window=1)

    assert_array_equal(X, [[5], [6]])
    assert_array_equal(y, [6, 7])


def test_stride_skips_window_starts():
    X, y = make_windows(np.arange(10.0), window=3, stride=3)

    # Starts 0, 3 and 6; a window at 9 would have no target.
    assert_array_equal(X, [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    assert_array_equal(y, [3, 6, 9])


def test_stride_drops_windows_whose_target_is_past_the_end():
    X, y = make_windows(np.arange(9.0), window=3, stride=3)

    assert_array_equal(X, [[0, 1, 2], [3, 4, 5]])
    assert_array_equal(y, [3, 6])


def test_horizon_gives_next_values_per_window():
    X, y = make_windows(np.arange(7.0), window=3, horizon=2)

    assert_array_equal(X, [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    assert_array_equal(y, [[3, 4], [4, 5], [5, 6]])


def test_horizon_with_stride():
    X, y = make_windows(np.arange(10.0), window=2, horizon=3, stride=2)

    assert_array_equal(X, [[0, 1], [2, 3], [4, 5]])
    assert_array_equal(y, [[2, 3, 4], [4, 5, 6], [6, 7, 8]])


def test_sequence_targets_are_the_window_shifted_by_one():
    X, y = make_windows(np.arange(6.0), window=3, sequence=True)

    assert_array_equal(X, [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    assert_array_equal(y, [[1, 2, 3], [2, 3, 4], [3, 4, 5]])


def test_sequence_targets_with_stride():
    X, y = make_windows(np.arange(8.0), window=3, stride=2, sequence=True)

    assert_array_equal(X, [[0, 1, 2], [2, 3, 4], [4, 5, 6]])
    assert_array_equal(y, [[1, 2, 3], [3, 4, 5], [5, 6, 7]])


@pytest.mark.parametrize(
    "n_time, window, horizon, stride",
    [(10, 3, 1, 1), (10, 3, 2, 1), (11, 3, 2, 3), (50, 7, 4, 5), (8, 4, 4, 2)],
)
def test_number_of_windows(n_time, window, horizon, stride):
    X, y = make_windows(np.zeros(n_time), window, horizon, stride=stride)

    n_windows = (n_time - window - horizon) // stride + 1
    assert X.shape == (n_windows, window)
    assert y.shape == ((n_windows,) if horizon == 1 else (n_windows, horizon))


def test_2d_series_forecasts_the_target_column():
    series = np.arange(12.0).reshape(6, 2)

    X, y = make_windows(series, window=3, target=1)

    assert X.shape == (3, 3, 2)
    assert_array_equal(X[0], [[0, 1], [2, 3], [4, 5]])
    assert_array_equal(X[2], [[4, 5], [6, 7], [8, 9]])
    assert_array_equal(y, [7, 9, 11])


def test_2d_series_with_horizon_and_sequence():
    series = np.arange(12.0).reshape(6, 2)

    _, y_direct = make_windows(series, window=2, horizon=2, target=0)
    _, y_sequence = make_windows(series, window=2, target=1, sequence=True)

    assert_array_equal(y_direct, [[4, 6], [6, 8], [8, 10]])
    assert_array_equal(y_sequence, [[3, 5], [5, 7], [7, 9], [9, 11]])


def test_2d_series_with_one_column_needs_no_target():
    X, y = make_windows(np.arange(5.0).reshape(5, 1), window=2)

    assert X.shape == (3, 2, 1)
    assert_array_equal(X[:, :, 0], [[0, 1], [1, 2], [2, 3]])
    assert_array_equal(y, [2, 3, 4])


def test_1d_series_accepts_target_zero():
    _, y = make_windows(np.arange(4.0), window=2, target=0)

    assert_array_equal(y, [2, 3])


def test_dataframe_with_column_name():
    frame = pd.DataFrame({"load": [1.0, 2, 3, 4, 5], "price": [10.0, 20, 30, 40, 50]})

    X, y = make_windows(frame, window=2, target="price")

    assert X.shape == (3, 2, 2)
    assert_array_equal(X[0], [[1, 10], [2, 20]])
    assert_array_equal(y, [30, 40, 50])


def test_dataframe_with_column_position():
    frame = pd.DataFrame({"load": [1.0, 2, 3, 4], "price": [10.0, 20, 30, 40]})

    _, y = make_windows(frame, window=2, target=0)

    assert_array_equal(y, [3, 4])


def test_pandas_series_and_list_are_accepted():
    X_series, y_series = make_windows(pd.Series([1.0, 2, 3, 4]), window=2)
    X_list, y_list = make_windows([1, 2, 3, 4], window=2)

    assert_array_equal(X_series, [[1, 2], [2, 3]])
    assert_array_equal(y_series, [3, 4])
    assert_array_equal(X_list, X_series)
    assert_array_equal(y_list, y_series)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_input_keeps_its_dtype(dtype):
    X, y = make_windows(np.arange(5, dtype=dtype), window=2)

    assert X.dtype == dtype
    assert y.dtype == dtype


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float16, bool])
def test_other_real_input_becomes_float64(dtype):
    X, y = make_windows(np.ones(5, dtype=dtype), window=2)

    assert X.dtype == np.float64
    assert y.dtype == np.float64
    assert_array_equal(X, np.ones((3, 2)))


@pytest.mark.parametrize(
    "series, kwargs",
    [
        (np.arange(20.0), {"window": 4}),
        (np.arange(20.0), {"window": 4, "horizon": 3, "stride": 2}),
        (np.arange(20.0), {"window": 4, "sequence": True}),
        (np.arange(40.0).reshape(20, 2), {"window": 4, "target": 1}),
        (np.arange(40.0).reshape(20, 2), {"window": 4, "horizon": 3, "target": 0}),
    ],
)
def test_windows_and_targets_are_read_only_views(series, kwargs):
    X, y = make_windows(series, **kwargs)

    assert np.shares_memory(X, series)
    assert np.shares_memory(y, series)
    assert not X.flags.writeable
    assert not y.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        X[0, 0] = -1.0


def test_input_array_is_left_unchanged():
    series = np.arange(24.0).reshape(12, 2)
    expected = series.copy()

    make_windows(series, window=3, horizon=2, target=1)

    assert_array_equal(series, expected)
    assert series.flags.writeable


def test_dataframe_is_left_unchanged():
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [5.0, 6, 7, 8]})
    expected = frame.copy()

    make_windows(frame, window=2, target="b")

    pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("name", ["window", "horizon", "stride"])
@pytest.mark.parametrize("value", [0, -1])
def test_rejects_length_below_one(name, value):
    kwargs = {"window": 2, name: value}

    with pytest.raises(
        ValueError, match=rf"'{name}' parameter.*range \[1, inf\)\. Got {value}"
    ):
        make_windows(np.arange(10.0), **kwargs)


@pytest.mark.parametrize("name", ["window", "horizon", "stride"])
def test_rejects_float_length(name):
    kwargs = {"window": 2, name: 2.0}

    with pytest.raises(TypeError, match=rf"'{name}' parameter.*Got 2\.0 instead"):
        make_windows(np.arange(10.0), **kwargs)


@pytest.mark.parametrize("name", ["window", "horizon", "stride", "target"])
def test_rejects_bool_as_int(name):
    kwargs = {"window": 2, name: True}

    with pytest.raises(TypeError, match=rf"'{name}' parameter.*bool True"):
        make_windows(np.arange(10.0), **kwargs)


def test_rejects_non_bool_sequence():
    with pytest.raises(ValueError, match="'sequence' parameter.*Got 'yes'"):
        make_windows(np.arange(10.0), 2, sequence="yes")


def test_rejects_horizon_with_sequence():
    with pytest.raises(ValueError, match="horizon must be 1; got horizon=3"):
        make_windows(np.arange(10.0), 2, 3, sequence=True)


@pytest.mark.parametrize(
    "kwargs, needed",
    [
        ({"window": 6}, 7),
        ({"window": 4, "horizon": 3}, 7),
        ({"window": 6, "sequence": True}, 7),
    ],
)
def test_rejects_series_shorter_than_window_and_horizon(kwargs, needed):
    with pytest.raises(
        ValueError,
        match=rf"series has 6 time steps.*at least {needed}\. Use a smaller window",
    ):
        make_windows(np.arange(6.0), **kwargs)


def test_rejects_empty_series():
    with pytest.raises(ValueError, match="series has 0 time steps"):
        make_windows([], window=1)


@pytest.mark.parametrize(
    "series, where",
    [
        ([1.0, 2.0, np.nan, 4.0, np.nan], r"series\[2\] is nan \(2 non-finite"),
        ([1.0, np.inf, 3.0], r"series\[1\] is inf"),
        ([[1.0, 2.0], [3.0, -np.inf]], r"series\[1, 1\] is -inf"),
    ],
)
def test_rejects_non_finite_values(series, where):
    with pytest.raises(ValueError, match=where):
        make_windows(series, window=1, target=0)


def test_rejects_nan_in_dataframe():
    frame = pd.DataFrame({"a": [1.0, None, 3.0]})

    with pytest.raises(ValueError, match=r"finite values only.*series\[1, 0\]"):
        make_windows(frame, window=1)


@pytest.mark.parametrize(
    "series, message",
    [
        (["a", "b", "c"], "series could not be read.*could not convert string"),
        (np.array([1 + 2j, 3j]), "series could not be read.*Complex data"),
        (np.zeros((4, 2, 2)), r"series could not be read.*dim 3"),
        (np.array(5.0), "series must be an array.*got a scalar, 5.0"),
    ],
)
def test_rejects_series_that_is_not_a_numeric_1d_or_2d_array(series, message):
    with pytest.raises(ValueError, match=message):
        make_windows(series, window=1)


def test_rejects_scalar_series():
    with pytest.raises(ValueError, match="'series' parameter.*array-like. Got 5"):
        make_windows(5, window=1)


def test_rejects_dataframe_with_text_column():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]})

    with pytest.raises(ValueError, match="series could not be read.*'x'"):
        make_windows(frame, window=1, target="a")


def test_2d_series_needs_target():
    with pytest.raises(
        ValueError, match="series has 3 columns.*got target=None. Pass the column"
    ):
        make_windows(np.zeros((10, 3)), window=2)


def test_rejects_target_column_out_of_range():
    with pytest.raises(
        ValueError, match=re.escape("target=3 is out of range for a series with 3")
    ):
        make_windows(np.zeros((10, 3)), window=2, target=3)


def test_rejects_negative_target():
    with pytest.raises(ValueError, match="'target' parameter.*Got -1 instead"):
        make_windows(np.zeros((10, 3)), window=2, target=-1)


def test_rejects_nonzero_target_for_1d_series():
    with pytest.raises(ValueError, match="target must be None or 0; got target=1"):
        make_windows(np.arange(10.0), window=2, target=1)


def test_rejects_column_name_without_dataframe():
    with pytest.raises(TypeError, match="target='a' is a column name.*ndarray"):
        make_windows(np.zeros((10, 2)), window=2, target="a")


def test_rejects_unknown_column_name():
    frame = pd.DataFrame({"a": [1.0, 2, 3], "b": [4.0, 5, 6]})

    message = "target='c' is not a column of series; its columns are ['a', 'b']"
    with pytest.raises(ValueError, match=re.escape(message)):
        make_windows(frame, window=1, target="c")


def test_rejects_duplicated_column_name():
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], columns=["a", "a"])

    with pytest.raises(ValueError, match="could not be read.*unique column names"):
        make_windows(frame, window=1, target="a")
