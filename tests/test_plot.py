"""Tests for ActualVsPredictedDisplay and LossCurveDisplay."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from skgru import (
    ActualVsPredictedDisplay,
    LossCurveDisplay,
    make_windows,
)

# Headless: draw into memory, never open a window.
matplotlib.use("Agg")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    _, ax = plt.subplots()
    return ax


class LossRecorder(RegressorMixin, BaseEstimator):
    """Stand-in for a network: records a made-up loss per epoch."""

    def __init__(self, validation=True):
        self.validation = validation

    def fit(self, X, y):
        self.loss_curve_ = [0.8, 0.4, 0.2, 0.1]
        if self.validation:
            self.validation_loss_curve_ = [0.9, 0.5, 0.4, 0.45]
        return self


# ActualVsPredictedDisplay


def test_actual_vs_predicted_draws_both_series_on_given_axes(ax):
    y_true = np.array([1.0, 3.0, 2.0, 5.0])
    y_pred = np.array([1.5, 2.5, 2.0, 4.0])

    display = ActualVsPredictedDisplay.from_predictions(y_true, y_pred, ax=ax)

    assert display.ax_ is ax
    assert display.figure_ is ax.figure
    assert_array_equal(display.line_actual_.get_ydata(), y_true)
    assert_array_equal(display.line_predicted_.get_ydata(), y_pred)
    assert_array_equal(display.line_actual_.get_xdata(), [0, 1, 2, 3])
    assert display.line_actual_.get_label() == "actual"
    assert display.line_predicted_.get_label() == "predicted"
    assert ax.get_xlabel() == "time step"
    assert ax.get_ylabel() == "value"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["actual", "predicted"]


def test_actual_vs_predicted_constructor_stores_and_plot_returns_self(ax):
    display = ActualVsPredictedDisplay([1.0, 2.0], [1.1, 1.9], index=[10, 11])

    assert display.y_true == [1.0, 2.0]
    assert display.index == [10, 11]
    assert not hasattr(display, "ax_")
    assert display.plot(ax=ax) is display
    assert display.ax_ is ax


def test_actual_vs_predicted_creates_figure_without_axes():
    display = ActualVsPredictedDisplay.from_predictions([1.0, 2.0], [1.0, 2.5])

    assert display.ax_ in display.figure_.axes


def test_actual_vs_predicted_uses_index_as_x(ax):
    index = pd.date_range("2024-01-01", periods=3, freq="D", name="date")

    display = ActualVsPredictedDisplay.from_predictions(
        [1.0, 2.0, 3.0], [1.0, 2.0, 2.5], index=index, ax=ax
    )

    assert ax.get_xlabel() == "date"
    assert_array_equal(display.line_actual_.get_xdata(), index)


def test_actual_vs_predicted_unnamed_index_is_labelled_time(ax):
    display = ActualVsPredictedDisplay.from_predictions(
        [1.0, 2.0], [1.0, 2.5], index=[100, 200], ax=ax
    )

    assert_array_equal(display.line_predicted_.get_xdata(), [100, 200])
    assert ax.get_xlabel() == "time"


def test_actual_vs_predicted_draws_last_column_of_multi_step_targets(ax):
    y_true = np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]])
    y_pred = np.array([[1.1, 2.1, 3.1], [2.2, 3.2, 4.2]])

    display = ActualVsPredictedDisplay.from_predictions(y_true, y_pred, ax=ax)

    assert_array_equal(display.line_actual_.get_ydata(), [3.0, 4.0])
    assert_array_equal(display.line_predicted_.get_ydata(), [3.1, 4.2])


def test_actual_vs_predicted_draws_last_step_of_sequences(ax):
    y_true = np.arange(12.0).reshape(2, 6, 1)
    y_pred = y_true[..., 0] + 0.5

    display = ActualVsPredictedDisplay.from_predictions(y_true, y_pred, ax=ax)

    assert_array_equal(display.line_actual_.get_ydata(), [5.0, 11.0])
    assert_array_equal(display.line_predicted_.get_ydata(), [5.5, 11.5])


def test_actual_vs_predicted_ignores_trailing_axis_of_size_one(ax):
    display = ActualVsPredictedDisplay.from_predictions(
        [1.0, 2.0, 3.0], [[1.5], [2.5], [3.5]], ax=ax
    )

    assert_array_equal(display.line_predicted_.get_ydata(), [1.5, 2.5, 3.5])


def test_actual_vs_predicted_passes_line_styles(ax):
    display = ActualVsPredictedDisplay.from_predictions(
        [1.0, 2.0],
        [1.0, 2.5],
        ax=ax,
        predicted_kw={"linestyle": "--", "label": "GRU"},
        linewidth=3,
    )

    assert display.line_actual_.get_linewidth() == 3
    assert display.line_predicted_.get_linewidth() == 3
    assert display.line_predicted_.get_linestyle() == "--"
    assert display.line_predicted_.get_label() == "GRU"
    assert display.line_actual_.get_label() == "actual"


def test_actual_vs_predicted_from_estimator_with_ridge_on_windows(ax):
    series = np.sin(np.linspace(0, 12, 80))
    X, y = make_windows(series, window=5)
    ridge = Ridge(alpha=1e-3).fit(X, y)

    display = ActualVsPredictedDisplay.from_estimator(ridge, X, y, ax=ax)

    assert display.ax_ is ax
    assert_array_equal(display.line_actual_.get_ydata(), y)
    assert_allclose(display.line_predicted_.get_ydata(), ridge.predict(X))
    assert len(display.line_predicted_.get_xdata()) == len(series) - 5


def test_actual_vs_predicted_from_estimator_with_multi_step_ridge(ax):
    series = np.cos(np.linspace(0, 12, 60))
    X, y = make_windows(series, window=6, horizon=3)
    ridge = Ridge().fit(X, y)

    display = ActualVsPredictedDisplay.from_estimator(ridge, X, y, ax=ax)

    assert_array_equal(display.line_actual_.get_ydata(), y[:, -1])
    assert_allclose(display.line_predicted_.get_ydata(), ridge.predict(X)[:, -1])


def test_actual_vs_predicted_from_estimator_needs_fitted_estimator():
    with pytest.raises(NotFittedError, match="Ridge instance is not fitted"):
        ActualVsPredictedDisplay.from_estimator(Ridge(), np.zeros((3, 2)), [0, 1, 2])


def test_actual_vs_predicted_saves_png(tmp_path):
    display = ActualVsPredictedDisplay.from_predictions([1.0, 2.0, 3.0], [1, 2, 2])
    path = tmp_path / "forecast.png"

    display.figure_.savefig(path)

    assert path.exists()
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_actual_vs_predicted_rejects_different_lengths():
    with pytest.raises(ValueError, match="got 3 and 2 samples. Pass the predictions"):
        ActualVsPredictedDisplay.from_predictions([1.0, 2.0, 3.0], [1.0, 2.0])


def test_actual_vs_predicted_rejects_different_horizons():
    with pytest.raises(
        ValueError, match=r"same shape; got \(4,\) and \(4, 3\)\. Pass targets"
    ):
        ActualVsPredictedDisplay.from_predictions(np.zeros(4), np.zeros((4, 3)))


def test_actual_vs_predicted_rejects_several_outputs_per_step():
    y = np.zeros((4, 5, 2))

    with pytest.raises(ValueError, match=r"y_true must be of shape.*got \(4, 5, 2\)"):
        ActualVsPredictedDisplay.from_predictions(y, y)


def test_actual_vs_predicted_rejects_scalar():
    with pytest.raises(ValueError, match="y_pred must be an array-like.*scalar, 1.5"):
        ActualVsPredictedDisplay.from_predictions([1.0], 1.5)


def test_actual_vs_predicted_rejects_index_of_other_length():
    with pytest.raises(ValueError, match="index must have one entry per sample; got 3"):
        ActualVsPredictedDisplay.from_predictions([1, 2], [1, 2], index=[1, 2, 3])


def test_actual_vs_predicted_rejects_scalar_index():
    with pytest.raises(TypeError, match="index must be an array-like.*got int 5"):
        ActualVsPredictedDisplay.from_predictions([1.0, 2.0], [1.0, 2.0], index=5)


# LossCurveDisplay


def test_loss_curve_draws_training_and_validation_per_epoch(ax):
    train = [1.0, 0.5, 0.25]
    validation = [1.2, 0.7, 0.6]

    display = LossCurveDisplay(train, validation, loss_name="mse").plot(ax=ax)

    assert display.ax_ is ax
    assert display.figure_ is ax.figure
    assert_array_equal(display.line_train_.get_xdata(), [1, 2, 3])
    assert_array_equal(display.line_train_.get_ydata(), train)
    assert_array_equal(display.line_validation_.get_ydata(), validation)
    assert display.line_train_.get_label() == "training"
    assert display.line_validation_.get_label() == "validation"
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "mse"
    assert ax.get_yscale() == "log"


def test_loss_curve_without_validation(ax):
    display = LossCurveDisplay([0.3, 0.2]).plot(ax=ax)

    assert display.line_validation_ is None
    assert len(ax.get_lines()) == 1
    assert ax.get_ylabel() == "loss"


def test_loss_curve_linear_scale_allows_negative_losses(ax):
    display = LossCurveDisplay([0.5, -0.1, -0.4]).plot(ax=ax, log_scale=False)

    assert ax.get_yscale() == "linear"
    assert_array_equal(display.line_train_.get_ydata(), [0.5, -0.1, -0.4])


def test_loss_curve_passes_line_styles(ax):
    display = LossCurveDisplay([0.3, 0.2], [0.4, 0.3]).plot(ax=ax, marker="o")

    assert display.line_train_.get_marker() == "o"
    assert display.line_validation_.get_marker() == "o"


def test_loss_curve_from_estimator_reads_both_curves(ax):
    estimator = LossRecorder().fit(None, None)

    display = LossCurveDisplay.from_estimator(estimator, ax=ax, loss_name="mae")

    assert_array_equal(display.line_train_.get_ydata(), estimator.loss_curve_)
    assert_array_equal(
        display.line_validation_.get_ydata(), estimator.validation_loss_curve_
    )
    assert ax.get_ylabel() == "mae"


def test_loss_curve_from_estimator_without_validation(ax):
    estimator = LossRecorder(validation=False).fit(None, None)

    display = LossCurveDisplay.from_estimator(estimator, ax=ax, log_scale=False)

    assert display.line_validation_ is None
    assert ax.get_yscale() == "linear"


def test_loss_curve_from_sklearn_mlp(ax):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    X = np.random.default_rng(0).normal(size=(30, 3))
    mlp = MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        mlp.fit(X, X.sum(axis=1))

    display = LossCurveDisplay.from_estimator(mlp, ax=ax)

    assert_allclose(display.line_train_.get_ydata(), mlp.loss_curve_)
    assert display.line_validation_ is None


def test_loss_curve_saves_png(tmp_path):
    display = LossCurveDisplay([0.9, 0.5, 0.4], [1.0, 0.7, 0.6]).plot()
    path = tmp_path / "loss.png"

    display.figure_.savefig(path)

    assert path.exists()
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_loss_curve_from_estimator_needs_fitted_estimator():
    with pytest.raises(NotFittedError, match="LossRecorder instance is not fitted"):
        LossCurveDisplay.from_estimator(LossRecorder())


def test_loss_curve_from_estimator_needs_loss_curve():
    ridge = Ridge().fit(np.zeros((3, 1)), [0.0, 1.0, 2.0])

    with pytest.raises(TypeError, match="Ridge has no loss_curve_ attribute"):
        LossCurveDisplay.from_estimator(ridge)


def test_loss_curve_rejects_curves_of_different_lengths():
    display = LossCurveDisplay([0.5, 0.4, 0.3], [0.6, 0.5])

    with pytest.raises(ValueError, match="one value per epoch each; got 3 and 2"):
        display.plot()


def test_loss_curve_log_scale_rejects_non_positive_loss():
    display = LossCurveDisplay([0.5, 0.4], [0.6, 0.0])

    with pytest.raises(
        ValueError,
        match="positive losses, but validation_loss_curve holds 0.0. Pass log_scale",
    ):
        display.plot()


@pytest.mark.parametrize(
    "curve, shape", [([], r"\(0,\)"), ([[0.5, 0.4], [0.3, 0.2]], r"\(2, 2\)")]
)
def test_loss_curve_rejects_empty_or_2d_curve(curve, shape):
    with pytest.raises(ValueError, match=rf"loss_curve must be a non-empty.*{shape}"):
        LossCurveDisplay(curve).plot()
