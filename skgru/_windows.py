"""Cut a time series into input windows and forecasting targets."""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.utils import check_array
from sklearn.utils._param_validation import (
    Interval,
    validate_parameter_constraints,
)

_PARAMETER_CONSTRAINTS = {
    "series": ["array-like"],
    "window": [Interval(Integral, 1, None, closed="left")],
    "horizon": [Interval(Integral, 1, None, closed="left")],
    "stride": [Interval(Integral, 1, None, closed="left")],
    "target": [None, Interval(Integral, 0, None, closed="left"), str],
    "sequence": ["boolean"],
}


def make_windows(series, window, horizon=1, *, stride=1, target=None, sequence=False):
    """Cut a time series into overlapping input windows and their targets.

    Window ``i`` covers the time steps ``i * stride`` to
    ``i * stride + window - 1``. Its target is the value of the ``target``
    column right after the window (``horizon=1``), the next ``horizon``
    values (direct multi-step forecasting), or, with ``sequence=True``, the
    window shifted by one step, as a recurrent model with
    ``return_sequences=True`` is trained to predict. Only windows whose
    targets lie inside the series are produced, so there are
    ``(n_time - window - horizon) // stride + 1`` of them.

    No data is copied: ``X`` and ``y`` are read-only views of the series
    (see Notes).

    Parameters
    ----------
    series : array-like of shape (n_time,) or (n_time, n_features)
        The time series, oldest value first: a list, a NumPy array, a pandas
        Series or DataFrame. It must be numeric and hold no NaN or infinity.

    window : int
        Number of time steps in each input window. Must be at least 1.

    horizon : int, default=1
        Number of future values to predict after each window. With
        ``horizon > 1``, ``y`` holds the next ``horizon`` values of each
        window, for models that predict them all at once. Must be 1 when
        ``sequence=True``.

    stride : int, default=1
        Number of time steps between the starts of two consecutive windows.
        ``stride=window`` gives windows that do not overlap.

    target : int or str, default=None
        Column of a 2-D ``series`` whose future values are the targets.
        Integers are column positions; strings are column names and need a
        pandas DataFrame, as in :class:`~sklearn.compose.ColumnTransformer`.
        Required when ``series`` has more than one column. For a 1-D
        ``series`` it must be None or 0.

    sequence : bool, default=False
        If True, the target of each window is the window of the ``target``
        column shifted one step ahead, as the TensorFlow time-series
        tutorial trains models with ``return_sequences=True``.

    Returns
    -------
    X : ndarray of shape (n_windows, window) or (n_windows, window, n_features)
        Input windows, read-only. 2-D for a 1-D ``series``, 3-D for a 2-D
        ``series`` (a one-column series keeps its feature axis).

    y : ndarray of shape (n_windows,), (n_windows, horizon) or \
            (n_windows, window)
        Targets, read-only: the next value after each window when
        ``horizon=1``, the next ``horizon`` values when ``horizon > 1``, and
        the shifted window when ``sequence=True``.

    See Also
    --------
    numpy.lib.stride_tricks.sliding_window_view : The view ``X`` is built
        with.
    keras.utils.timeseries_dataset_from_array : Batched windows as a
        ``tf.data.Dataset``.

    Notes
    -----
    ``X`` and ``y`` share memory with the series: a NumPy array of dtype
    float32 or float64 is never copied, while integer, boolean or float16
    input, lists and most DataFrames are converted to float64 once. Both
    arrays are read-only so that writing to them cannot change the series
    or the other windows, which overlap in memory. Call ``X.copy()`` for a
    writable, contiguous array; it takes ``window`` (times ``n_features``)
    values per window instead of one.

    Unless ``sequence=True``, the last target of window ``i`` is the value
    at time step ``i * stride + window + horizon - 1``; use this to line the
    windows up with the time index of the series, e.g.
    ``index[window + horizon - 1 :: stride]``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgru import make_windows
    >>> X, y = make_windows(np.arange(6.0), window=3)
    >>> X
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    >>> y
    array([3., 4., 5.])
    >>> X, y = make_windows(np.arange(20.0).reshape(10, 2), 4, 2, target=1)
    >>> X.shape, y.shape
    ((5, 4, 2), (5, 2))
    """
    # Checked here rather than with the validate_params decorator, which is
    # skipped when make_windows runs inside an estimator's fit.
    params = {
        "series": series,
        "window": window,
        "horizon": horizon,
        "stride": stride,
        "target": target,
        "sequence": sequence,
    }
    validate_parameter_constraints(
        _PARAMETER_CONSTRAINTS, params, caller_name="make_windows"
    )
    for name in ("window", "horizon", "stride", "target"):
        if isinstance(params[name], bool):
            raise TypeError(
                f"The {name!r} parameter of make_windows must be an int; got the "
                f"bool {params[name]!r}. Pass an integer such as {name}=1."
            )
    if sequence and horizon != 1:
        raise ValueError(
            "sequence=True predicts the window shifted by one step, so horizon "
            f"must be 1; got horizon={horizon!r}. Pass sequence=False for "
            "multi-step targets."
        )

    array = _check_series(series)
    column = _check_target(target, series, array)

    # Enough time steps for one window and its targets?
    n_ahead = 1 if sequence else horizon
    n_time = array.shape[0]
    if n_time < window + n_ahead:
        raise ValueError(
            f"series has {n_time} time steps, but window={window} and "
            f"{'sequence targets' if sequence else f'horizon={horizon}'} need "
            f"at least {window + n_ahead}. Use a smaller window or a longer "
            "series."
        )
    n_windows = (n_time - window - n_ahead) // stride + 1

    # Views only: the windows and targets share memory with the series.
    windows = sliding_window_view(array, window, axis=0)
    if array.ndim == 2:
        # sliding_window_view puts the window axis last.
        windows = windows.swapaxes(1, 2)
    X = windows[: (n_windows - 1) * stride + 1 : stride]

    values = array if array.ndim == 1 else array[:, column]
    if sequence:
        y = sliding_window_view(values[1:], window)[::stride][:n_windows]
    elif horizon == 1:
        y = values[window : window + (n_windows - 1) * stride + 1 : stride]
    else:
        y = sliding_window_view(values[window:], horizon)[::stride][:n_windows]
    y.flags.writeable = False
    return X, y


def _check_target(target, series, array):
    """Return the position of the column to forecast in the checked ``array``."""
    if isinstance(target, str):
        column = _find_column(target, series)
    elif target is None:
        if array.ndim == 2 and array.shape[1] > 1:
            raise ValueError(
                f"series has {array.shape[1]} columns, so target must say which "
                "one to forecast; got target=None. Pass the column position, "
                "e.g. target=0, or the column name of a DataFrame."
            )
        column = 0
    else:
        column = int(target)

    n_columns = 1 if array.ndim == 1 else array.shape[1]
    if column >= n_columns:
        if array.ndim == 1:
            raise ValueError(
                "A 1-D series has a single column, so target must be None or "
                f"0; got target={target!r}."
            )
        raise ValueError(
            f"target={target!r} is out of range for a series with {n_columns} "
            f"columns. Pass a column position from 0 to {n_columns - 1}."
        )
    return column


def _find_column(name, series):
    """Return the position of the column called ``name`` in a DataFrame."""
    if not hasattr(series, "columns"):
        raise TypeError(
            f"target={name!r} is a column name, but series, of type "
            f"{type(series).__name__}, has no column names. Pass a pandas "
            "DataFrame, or the column position as an int."
        )
    columns = list(series.columns)
    # Duplicated names never get here: _check_series rejects them.
    if name not in columns:
        raise ValueError(
            f"target={name!r} is not a column of series; its columns are "
            f"{columns}. Pass one of them, or the column position as an int."
        )
    return columns.index(name)


def _check_series(series):
    """Return ``series`` as a 1-D or 2-D float array with finite values only."""
    columns = getattr(series, "columns", None)
    if columns is not None and not columns.is_unique:
        duplicated = sorted({str(c) for c in columns[columns.duplicated()]})
        raise ValueError(
            "series could not be read: a DataFrame needs unique column names, "
            f"and {duplicated} appear more than once. Rename or drop them."
        )
    try:
        array = check_array(
            series,
            dtype=(np.float64, np.float32),
            ensure_2d=False,
            ensure_all_finite=False,
            ensure_min_samples=0,
            input_name="series",
        )
    except ValueError as exc:
        raise ValueError(
            "series could not be read as a numeric array of shape (n_time,) or "
            f"(n_time, n_features): {exc}"
        ) from exc
    if array.ndim == 0:
        raise ValueError(
            "series must be an array of shape (n_time,) or (n_time, n_features); "
            f"got a scalar, {array.item()!r}. Pass the whole series."
        )

    # Report where the first gap is, which check_array does not.
    finite = np.isfinite(array)
    if not finite.all():
        bad = np.argwhere(~finite)
        first = tuple(int(i) for i in bad[0])
        where = ", ".join(str(i) for i in first)
        raise ValueError(
            f"series must hold finite values only, but series[{where}] is "
            f"{array[first]} ({len(bad)} non-finite value(s) in all). Fill or "
            "drop the missing time steps first, e.g. with pandas interpolate()."
        )
    return array
