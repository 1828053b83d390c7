"""Chronological train/test windows and the baselines a forecast is judged by."""

import math

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error

from ._windows import make_windows


def split_point(n_time, test_fraction):
    """Index of the first test time step for a chronological split.

    Parameters
    ----------
    n_time : int
        Length of the series.

    test_fraction : float
        Share of the series, taken from the end, that is predicted.

    Returns
    -------
    cut : int
        ``series[:cut]`` is trained on, ``series[cut:]`` predicted.
    """
    return n_time - int(round(test_fraction * n_time))


def training_windows(series, cut, window, *, horizon=1, stride=1, sequence=False):
    """Windows and targets that lie entirely in ``series[:cut]``.

    Parameters
    ----------
    series : ndarray of shape (n_time,)
        The whole series.

    cut : int
        First test time step.

    window, horizon, stride, sequence
        As in :func:`~skgru.make_windows`.

    Returns
    -------
    X, y : ndarray
        As returned by :func:`~skgru.make_windows`.
    """
    return make_windows(series[:cut], window, horizon, stride=stride, sequence=sequence)


def holdout_windows(series, cut, window, *, horizon=1, sequence=False):
    """One window per test time step, the last target at that step.

    The windows may start before ``cut``: the model sees the end of the
    training part as input, so that every value of ``series[cut:]`` is
    predicted, ``horizon`` steps ahead, from values known at that time.

    Parameters
    ----------
    series : ndarray of shape (n_time,)
        The whole series.

    cut : int
        First test time step; must be at least ``window + horizon - 1``.

    window, horizon, sequence
        As in :func:`~skgru.make_windows`.

    Returns
    -------
    X : ndarray of shape (n_time - cut, window)
        Input windows.

    y : ndarray
        Targets, shaped as :func:`~skgru.make_windows` returns them; their
        last column or step is ``series[cut:]``.
    """
    start = cut - window - horizon + 1
    return make_windows(series[start:], window, horizon, sequence=sequence)


def last_step(y):
    """The last column (horizon) or step (sequence) of targets or predictions."""
    y = np.asarray(y)
    return y if y.ndim == 1 else y.reshape(y.shape[0], -1)[:, -1]


def baseline_predictions(series, cut, window, *, horizon=1):
    """Predictions of ``series[cut:]`` by the naive forecast and by Ridge.

    Parameters
    ----------
    series : ndarray of shape (n_time,)
        The whole series.

    cut : int
        First test time step.

    window : int
        Number of lags Ridge sees, as the network does.

    horizon : int, default=1
        How many steps ahead each value is predicted.

    Returns
    -------
    predictions : dict of str to ndarray of shape (n_time - cut,)
        ``"naive (last value)"``: the last value known ``horizon`` steps
        earlier; ``"ridge (W lags)"``: :class:`~sklearn.linear_model.Ridge`
        trained on the same windows and targets as the network.
    """
    naive = series[cut - horizon : len(series) - horizon]
    X, y = training_windows(series, cut, window, horizon=horizon)
    X_test, _ = holdout_windows(series, cut, window, horizon=horizon)
    ridge = Ridge(alpha=1.0).fit(X, y)
    return {
        "naive (last value)": np.asarray(naive, dtype=np.float64),
        f"ridge ({window} lags)": last_step(ridge.predict(X_test)),
    }


def score_rows(y_true, predictions):
    """Test MSE and MAE of each named prediction.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,)
        Actual values.

    predictions : dict of str to ndarray of shape (n_samples,)
        Predictions by name, in the order they should be listed.

    Returns
    -------
    rows : list of tuple of (str, float, float)
        ``(name, mse, mae)`` per prediction.
    """
    return [
        (
            name,
            float(mean_squared_error(y_true, y_pred)),
            float(mean_absolute_error(y_true, y_pred)),
        )
        for name, y_pred in predictions.items()
    ]


def format_table(rows, *, reference=None, extra_rows=()):
    """A plain-text table of test scores.

    Parameters
    ----------
    rows : list of tuple of (str, float, float)
        ``(name, mse, mae)``, as from :func:`score_rows`.

    reference : str, default=None
        Name of the row that the others' MSE is divided by in a ratio
        column, headed by the first word of the name; no ratio column if
        None.

    extra_rows : list of tuple of (str, float)
        ``(name, mse)`` rows with no MAE, e.g. a theoretical noise floor.

    Returns
    -------
    table : str
        The table, lines separated by newlines, without a final newline.
    """
    ref = dict((name, mse) for name, mse, _ in rows).get(reference)
    table = [(name, mse, mae) for name, mse, mae in rows]
    table += [(name, mse, None) for name, mse in extra_rows]

    # Fixed decimals for all scores, enough for 3 digits of the smallest.
    positive = [v for _, *scores in table for v in scores if v is not None and v > 0]
    decimals = max(3, 2 - math.floor(math.log10(min(positive, default=1.0))))
    cells = [
        (
            name,
            f"{mse:.{decimals}f}",
            "" if mae is None else f"{mae:.{decimals}f}",
            "" if ref is None else f"{mse / ref:.3f}",
        )
        for name, mse, mae in table
    ]
    titles = ("model", "test MSE", "test MAE")
    if ref is not None:
        titles += ("MSE/" + reference.split()[0],)
    widths = [max(len(row[i]) for row in [titles, *cells]) for i in range(len(titles))]

    def line(row):
        name, *values = row
        right = [
            value.rjust(width) for value, width in zip(values, widths[1:], strict=True)
        ]
        return "  ".join([name.ljust(widths[0]), *right])

    lines = [line(titles)]
    lines.append("-" * len(lines[0]))
    lines += [line(row) for row in cells]
    return "\n".join(lines)
