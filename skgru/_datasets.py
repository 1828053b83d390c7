"""The tutorial's synthetic series and real recorded series shipped with matplotlib."""

import numpy as np
from sklearn.utils import check_random_state

# The tutorial adds one draw of U(0, noise) to the series twice, so the noise
# is 2 * U(0, noise), of variance 4 * noise**2 / 12: the next-step MSE that no
# predictor can beat (0.00333 for the default noise).
TUTORIAL_NOISE = 0.1
TUTORIAL_NOISE_FLOOR = 4 * TUTORIAL_NOISE**2 / 12


def make_tutorial_series(n_points=24_000, *, noise=TUTORIAL_NOISE, random_state=0):
    """The series of the classic TensorFlow time-series tutorial.

    ``sin(0.2 t) + sin(0.15 t)`` for ``t = 0, 1, ..., n_points - 1``, plus
    uniform noise ``U(0, noise)`` added twice, as in the tutorial (one draw,
    added two times). The noise has variance ``4 * noise**2 / 12``, the
    next-step MSE that no predictor can beat: about 0.00333 by default.

    Parameters
    ----------
    n_points : int, default=24_000
        Length of the series.

    noise : float, default=0.1
        Upper bound of the uniform noise draw.

    random_state : int, RandomState instance or None, default=0
        Seed of the noise.

    Returns
    -------
    series : ndarray of shape (n_points,)
        The noisy series.

    Examples
    --------
    >>> from skgru import make_tutorial_series
    >>> make_tutorial_series(100).shape
    (100,)
    """
    rng = check_random_state(random_state)
    t = np.arange(n_points, dtype=np.float64)
    series = np.sin(0.2 * t) + np.sin(0.15 * t)
    draw = rng.uniform(0, noise, n_points)
    series += draw
    series += draw
    return series


def load_sample_series(name="membrane"):
    """A real recorded series from matplotlib's sample data; no download.

    Parameters
    ----------
    name : {"membrane", "sp500"}, default="membrane"
        ``"membrane"``: 12,000 samples of a neuron's membrane potential
        (matplotlib's ``membrane.dat``). ``"sp500"``: monthly closing values of
        the S&P 500 index from matplotlib's ``Stocks.csv`` (Yahoo Finance).

    Returns
    -------
    series : ndarray of shape (n_time,)
        The recorded values, float64, in time order.

    Examples
    --------
    >>> from skgru import load_sample_series
    >>> load_sample_series("membrane").shape
    (12000,)
    """
    from matplotlib import cbook

    if name == "membrane":
        path = cbook.get_sample_data("membrane.dat", asfileobj=False)
        return np.fromfile(path, dtype="<f4").astype(np.float64)
    if name == "sp500":
        path = cbook.get_sample_data("Stocks.csv", asfileobj=False)
        with open(path) as f:
            header = next(line for line in f if not line.startswith("#"))
            column = header.strip().split(",").index("^GSPC")
            values = [line.strip().split(",")[column] for line in f]
        return np.array([float(v) for v in values if v], dtype=np.float64)
    raise ValueError(f"name must be 'membrane' or 'sp500'; got {name!r}.")
