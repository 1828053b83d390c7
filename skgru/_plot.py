"""Displays for forecasts against the actual series and for training loss."""

import numpy as np
from sklearn.utils import check_array
from sklearn.utils.validation import check_is_fitted


class ActualVsPredictedDisplay:
    """Actual and predicted values of a time series, drawn against time.

    Two lines on one Axes, "actual" and "predicted", show where a forecast
    follows the series and where it lags or overshoots, as in the closing
    figure of the TensorFlow time-series tutorial. Build it with
    :meth:`from_estimator` or :meth:`from_predictions`; the constructor only
    stores its arguments and :meth:`plot` draws.

    Multi-step targets are reduced to one value per sample before drawing:
    for ``y`` of shape (n_samples, horizon), as :func:`~skgru.make_windows`
    returns for ``horizon > 1``, the last column, i.e. the forecast
    ``horizon`` steps ahead; for sequences of shape (n_samples, n_timesteps)
    or (n_samples, n_timesteps, 1), the last time step.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), (n_samples, horizon) or \
            (n_samples, n_timesteps, 1)
        Actual values.

    y_pred : array-like of the same shape as `y_true`
        Predicted values. A trailing axis of size 1, as Keras models often
        return, is ignored.

    index : array-like of shape (n_samples,), default=None
        Time of each sample, drawn on the x axis: numbers, dates or a pandas
        Index. If None, samples are numbered 0, 1, 2, ... as time steps.

    Attributes
    ----------
    line_actual_ : matplotlib Line2D
        Line of the actual values.

    line_predicted_ : matplotlib Line2D
        Line of the predicted values.

    ax_ : matplotlib Axes
        Axes the lines are drawn on.

    figure_ : matplotlib Figure
        Figure holding the Axes.

    See Also
    --------
    LossCurveDisplay : Training and validation loss per epoch.
    sklearn.metrics.PredictionErrorDisplay : Predicted against actual values
        as a scatter plot, without the time axis.

    Notes
    -----
    For windows cut with ``make_windows(series, window, horizon,
    stride=stride)``, the last target of window ``i`` lies at position
    ``i * stride + window + horizon - 1`` of the series, so
    ``index=series.index[window + horizon - 1 :: stride]`` puts each value at
    its own time.

    Examples
    --------
    >>> import numpy as np
    >>> from skgru import ActualVsPredictedDisplay
    >>> y_true = np.sin(np.linspace(0, 6, 50))
    >>> y_pred = y_true + np.random.default_rng(0).normal(0, 0.1, size=50)
    >>> display = ActualVsPredictedDisplay.from_predictions(y_true, y_pred)
    >>> display.line_predicted_.get_label()
    'predicted'
    """

    def __init__(self, y_true, y_pred, *, index=None):
        self.y_true = y_true
        self.y_pred = y_pred
        self.index = index

    def plot(self, ax=None, *, actual_kw=None, predicted_kw=None, **kwargs):
        """Draw the actual and the predicted values.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and Axes are created.

        actual_kw : dict, default=None
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for the
            line of actual values only, e.g. ``{"color": "black"}``.

        predicted_kw : dict, default=None
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for the
            line of predicted values only.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for both
            lines; `actual_kw` and `predicted_kw` take precedence.

        Returns
        -------
        display : ActualVsPredictedDisplay
            This display, with `line_actual_`, `line_predicted_`, `ax_` and
            `figure_` set.
        """
        y_true, y_pred = _check_actual_predicted(self.y_true, self.y_pred)
        x, xlabel = _check_index(self.index, len(y_true))

        ax = _axes_or_new(ax)
        actual_kw = {"label": "actual", **kwargs, **(actual_kw or {})}
        predicted_kw = {"label": "predicted", **kwargs, **(predicted_kw or {})}
        (self.line_actual_,) = ax.plot(x, y_true, **actual_kw)
        (self.line_predicted_,) = ax.plot(x, y_pred, **predicted_kw)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("value")
        ax.legend()

        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_pred,
        *,
        index=None,
        ax=None,
        actual_kw=None,
        predicted_kw=None,
        **kwargs,
    ):
        """Draw actual against predicted values given the predictions.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, n_timesteps, 1)
            Actual values. For 2-D and 3-D input the last column or time
            step is drawn.

        y_pred : array-like of the same shape as `y_true`
            Predicted values, reduced like `y_true`.

        index : array-like of shape (n_samples,), default=None
            Time of each sample, drawn on the x axis. If None, samples are
            numbered 0, 1, 2, ... as time steps.

        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and Axes are created.

        actual_kw : dict, default=None
            Keyword arguments for the line of actual values only.

        predicted_kw : dict, default=None
            Keyword arguments for the line of predicted values only.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for both
            lines.

        Returns
        -------
        display : ActualVsPredictedDisplay
            The drawn display.
        """
        display = cls(y_true, y_pred, index=index)
        return display.plot(
            ax=ax, actual_kw=actual_kw, predicted_kw=predicted_kw, **kwargs
        )

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        index=None,
        ax=None,
        actual_kw=None,
        predicted_kw=None,
        **kwargs,
    ):
        """Draw actual values against an estimator's predictions.

        Parameters
        ----------
        estimator : estimator instance
            Fitted regressor; ``estimator.predict(X)`` gives the predictions.

        X : array-like of shape (n_samples, ...)
            Input of the estimator, e.g. the windows from
            :func:`~skgru.make_windows`.

        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, n_timesteps, 1)
            Actual values. For 2-D and 3-D input the last column or time
            step is drawn.

        index : array-like of shape (n_samples,), default=None
            Time of each sample, drawn on the x axis. If None, samples are
            numbered 0, 1, 2, ... as time steps.

        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and Axes are created.

        actual_kw : dict, default=None
            Keyword arguments for the line of actual values only.

        predicted_kw : dict, default=None
            Keyword arguments for the line of predicted values only.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for both
            lines.

        Returns
        -------
        display : ActualVsPredictedDisplay
            The drawn display.
        """
        y_pred = estimator.predict(X)
        return cls.from_predictions(
            y,
            y_pred,
            index=index,
            ax=ax,
            actual_kw=actual_kw,
            predicted_kw=predicted_kw,
            **kwargs,
        )


class LossCurveDisplay:
    """Training loss, and validation loss if known, per epoch.

    A falling training line with a validation line that turns up shows
    overfitting; a flat one shows a learning rate too small or a model too
    simple. Build it with :meth:`from_estimator`, or from the lists of a
    Keras ``History``; the constructor only stores its arguments and
    :meth:`plot` draws.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss after each epoch.

    validation_loss_curve : array-like of shape (n_epochs,), default=None
        Validation loss after each epoch. If None, only the training loss is
        drawn.

    loss_name : str, default="loss"
        Label of the y axis, e.g. ``"mean squared error"``.

    Attributes
    ----------
    line_train_ : matplotlib Line2D
        Line of the training loss.

    line_validation_ : matplotlib Line2D or None
        Line of the validation loss; None without `validation_loss_curve`.

    ax_ : matplotlib Axes
        Axes the lines are drawn on.

    figure_ : matplotlib Figure
        Figure holding the Axes.

    See Also
    --------
    ActualVsPredictedDisplay : Actual and predicted values against time.

    Examples
    --------
    >>> from skgru import LossCurveDisplay
    >>> display = LossCurveDisplay([0.9, 0.5, 0.3], [1.0, 0.6, 0.5]).plot()
    >>> display.line_validation_.get_ydata().tolist()
    [1.0, 0.6, 0.5]
    """

    def __init__(self, loss_curve, validation_loss_curve=None, *, loss_name="loss"):
        self.loss_curve = loss_curve
        self.validation_loss_curve = validation_loss_curve
        self.loss_name = loss_name

    def plot(self, ax=None, *, log_scale=True, **kwargs):
        """Draw the loss curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and Axes are created.

        log_scale : bool, default=True
            Whether the y axis is logarithmic, which shows the late, small
            improvements. All losses must then be positive.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for both
            lines.

        Returns
        -------
        display : LossCurveDisplay
            This display, with `line_train_`, `line_validation_`, `ax_` and
            `figure_` set.
        """
        from matplotlib.ticker import MaxNLocator

        train = _check_loss_curve(self.loss_curve, "loss_curve")
        validation = None
        if self.validation_loss_curve is not None:
            validation = _check_loss_curve(
                self.validation_loss_curve, "validation_loss_curve"
            )
            if len(validation) != len(train):
                raise ValueError(
                    "loss_curve and validation_loss_curve must have one value "
                    f"per epoch each; got {len(train)} and {len(validation)} "
                    "values. Pass curves recorded in the same fit."
                )
        if log_scale:
            _check_positive(train, "loss_curve")
            if validation is not None:
                _check_positive(validation, "validation_loss_curve")

        ax = _axes_or_new(ax)
        epochs = np.arange(1, len(train) + 1)
        train_kw = {"label": "training", **kwargs}
        (self.line_train_,) = ax.plot(epochs, train, **train_kw)
        self.line_validation_ = None
        if validation is not None:
            (self.line_validation_,) = ax.plot(
                epochs, validation, **{"label": "validation", **kwargs}
            )

        # Whole epochs only on the x axis.
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(self.loss_name)
        ax.legend()

        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls, estimator, *, ax=None, log_scale=True, loss_name="loss", **kwargs
    ):
        """Draw the loss curves recorded by a fitted estimator.

        Reads ``estimator.loss_curve_`` and, if the estimator has one that is
        not None, ``estimator.validation_loss_curve_``.

        Parameters
        ----------
        estimator : estimator instance
            Fitted estimator with a `loss_curve_` attribute, such as
            :class:`~sklearn.neural_network.MLPRegressor`.

        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and Axes are created.

        log_scale : bool, default=True
            Whether the y axis is logarithmic.

        loss_name : str, default="loss"
            Label of the y axis.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot` for both
            lines.

        Returns
        -------
        display : LossCurveDisplay
            The drawn display.
        """
        check_is_fitted(estimator)
        if not hasattr(estimator, "loss_curve_"):
            raise TypeError(
                f"{type(estimator).__name__} has no loss_curve_ attribute, so "
                "LossCurveDisplay cannot read its training loss. Pass an "
                "estimator that records its loss per epoch, or build the "
                "display from the losses: LossCurveDisplay(loss_curve).plot()."
            )
        display = cls(
            estimator.loss_curve_,
            getattr(estimator, "validation_loss_curve_", None),
            loss_name=loss_name,
        )
        return display.plot(ax=ax, log_scale=log_scale, **kwargs)


def _check_actual_predicted(y_true, y_pred):
    """Return 1-D arrays of actual and predicted values of the same length."""
    y_true = _check_y(y_true, "y_true")
    y_pred = _check_y(y_pred, "y_pred")
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred must have one value per sample; got "
            f"{y_true.shape[0]} and {y_pred.shape[0]} samples. Pass the "
            "predictions for the same X that y_true belongs to."
        )
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {y_true.shape} "
            f"and {y_pred.shape}. Pass targets cut with the same horizon as "
            "the model was trained on."
        )

    # One value per sample: the last column or time step.
    if y_true.ndim == 2:
        return y_true[:, -1], y_pred[:, -1]
    return y_true, y_pred


def _check_y(y, name):
    """Return ``y`` as an array with its trailing axes of size 1 removed."""
    if np.ndim(y) == 0:
        raise ValueError(
            f"{name} must be an array-like with one value per sample; got a "
            f"scalar, {y!r}."
        )
    y = check_array(
        y,
        dtype="numeric",
        ensure_2d=False,
        allow_nd=True,
        ensure_all_finite="allow-nan",
        input_name=name,
    )
    shape = y.shape
    while y.ndim > 1 and y.shape[-1] == 1:
        y = y[..., 0]
    if y.ndim > 2:
        raise ValueError(
            f"{name} must be of shape (n_samples,), (n_samples, horizon) or "
            f"(n_samples, n_timesteps, 1); got {shape}. Draw one output at a "
            f"time, e.g. {name}[..., 0]."
        )
    return y


def _check_index(index, n_samples):
    """Return the x values and the x-axis label for ``n_samples`` samples."""
    if index is None:
        return np.arange(n_samples), "time step"
    if not hasattr(index, "__len__") or isinstance(index, str):
        raise TypeError(
            f"index must be an array-like of shape (n_samples,); got "
            f"{type(index).__name__} {index!r}."
        )
    if len(index) != n_samples:
        raise ValueError(
            f"index must have one entry per sample; got {len(index)} entries "
            f"for {n_samples} samples. Pass the time of each target, not of "
            "the whole series."
        )
    name = getattr(index, "name", None)
    return index, "time" if name is None else str(name)


def _check_loss_curve(curve, name):
    """Return a loss curve as a non-empty 1-D float array."""
    curve = check_array(
        curve,
        dtype="numeric",
        ensure_2d=False,
        ensure_min_samples=0,
        ensure_all_finite="allow-nan",
        input_name=name,
    )
    if curve.ndim != 1 or len(curve) == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D array-like with one loss per epoch; "
            f"got shape {curve.shape}."
        )
    return curve


def _check_positive(curve, name):
    """Raise if a loss curve cannot be drawn on a logarithmic axis."""
    not_positive = curve[curve <= 0]
    if not_positive.size:
        raise ValueError(
            f"log_scale=True needs positive losses, but {name} holds "
            f"{float(not_positive[0])}. Pass log_scale=False."
        )


def _axes_or_new(ax):
    """``ax``, or the Axes of a new pyplot figure when it is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]
