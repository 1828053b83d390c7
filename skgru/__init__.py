"""skgru: a GRU sequence regressor that behaves like any scikit-learn estimator.

Public names load on first use: ``import skgru`` imports neither TensorFlow,
Keras nor scikit-learn; TensorFlow and Keras load at the first ``fit``.
"""

import importlib

__version__ = "0.1.0"

_PUBLIC = {
    "GRUSequenceRegressor": "._regressor",
    "make_windows": "._windows",
    "ActualVsPredictedDisplay": "._plot",
    "LossCurveDisplay": "._plot",
    "make_tutorial_series": "._datasets",
    "load_sample_series": "._datasets",
}

__all__ = sorted(_PUBLIC) + ["__version__"]


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'skgru' has no attribute {name!r}")


def __dir__():
    return __all__
