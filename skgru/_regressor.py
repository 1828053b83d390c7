"""The GRU sequence regressor."""

import copy
import functools
import random
import warnings
import weakref
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from ._backend import get_keras
from ._model import (
    acquire_network,
    extract_weights,
    forward,
    release_network,
    seeded,
)

# Parameters that shape the network or its training state: a warm start or
# partial_fit cannot change them without a new network.
_ARCHITECTURE_PARAMS = (
    "units",
    "n_layers",
    "dropout",
    "recurrent_dropout",
    "return_sequences",
    "optimizer",
    "loss",
    "standardize",
)


def _keeps_python_random_state(fit_method):
    """Leave Python's global ``random`` state as the caller had it.

    Modules loaded at the first fit in a process (TensorFlow, and the progress
    library behind scikit-learn's callbacks) draw from it when imported.
    """

    @functools.wraps(fit_method)
    def wrapper(*args, **kwargs):
        state = random.getstate()
        try:
            return fit_method(*args, **kwargs)
        finally:
            random.setstate(state)

    return wrapper


# Passes of the network behind ``predict(X, return_std=True)``.
_MC_DROPOUT_DRAWS = 100


class GRUSequenceRegressor(RegressorMixin, BaseEstimator):
    """Regressor on sequences with a stack of GRU layers, trained by Keras.

    ``fit`` builds a Keras 3 network (TensorFlow backend): ``n_layers`` GRU
    layers of ``units`` each, a dropout layer of rate ``dropout`` between
    consecutive GRU layers, and a dense head with one unit per output. The
    defaults follow the classic TensorFlow time-series tutorial: two layers of
    80 units, dropout 0.3, Adam at learning rate 1e-3, batches of 32, MSE.

    Parameters
    ----------
    units : int, default=80
        Units of each GRU layer.

    n_layers : int, default=2
        Number of stacked GRU layers.

    dropout : float, default=0.3
        Rate of the dropout layer between consecutive GRU layers (none after
        the last one).

    recurrent_dropout : float, default=0.0
        Dropout on the recurrent state inside each GRU layer. Any value above
        0 gives up the fused cuDNN kernel on GPU; a warning says so.

    return_sequences : bool, default=False
        If False, the head reads the last GRU step and ``y`` has shape
        ``(n_samples,)`` or ``(n_samples, n_outputs)``. If True, the head is
        applied at every step, ``y`` holds one target per time step,
        ``(n_samples, n_timesteps[, n_outputs])``, and the loss covers every
        step.

    learning_rate : float, default=1e-3
        Step size of the optimizer. May change between warm-started fits.

    optimizer : {"adam", "rmsprop", "sgd"}, default="adam"
        Keras optimizer used for training.

    loss : {"mse", "mae", "huber"}, default="mse"
        Training loss.

    batch_size : int, default=32
        Samples per gradient step.

    epochs : int, default=50
        Maximum number of passes over the training data in ``fit``.

    shuffle : bool, default=True
        Whether to shuffle the training samples before each epoch.

    standardize : bool, default=True
        Scale inputs per feature and targets per output to zero mean and unit
        variance with statistics learned in ``fit``; ``predict`` undoes the
        target scaling.

    early_stopping : bool, default=False
        Hold out the last ``validation_fraction`` of the samples, in the order
        given, stop when the validation loss has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, and restore the best weights.

    validation_fraction : float, default=0.1
        Share of the samples, taken from the end, held out for early stopping.

    n_iter_no_change : int, default=10
        Epochs without an improvement of at least ``tol`` before training
        stops: on the validation loss with ``early_stopping``, else on the
        training loss.

    tol : float, default=1e-4
        Smallest improvement of the monitored loss, in the units of the loss
        on the data as given, that counts.

    warm_start : bool, default=False
        If True, ``fit`` continues from the trained network for ``epochs``
        more epochs and extends the loss curves.

    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks. Each fit works on fresh copies, so no state
        reaches the next fit or a clone.

    random_state : int, RandomState instance or None, default=None
        Seeds the weights, dropout and shuffling. An int gives identical
        predictions across fits and processes on CPU; NumPy's and Python's
        global random state are left untouched.

    verbose : int, default=0
        0 is silent, 1 shows Keras' progress bar, 2 one line per epoch.

    Attributes
    ----------
    model_ : keras.Model
        The trained Keras network. It works on standardized inputs and
        targets of shape ``(n_samples, n_timesteps, n_features)``; ``predict``
        does the scaling and reshaping, and does not call it. The network
        belongs to the estimator: once the estimator is gone, a later fit of
        the same architecture may reuse and retrain it.

    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit``, as in scikit-learn: the number of time
        steps, for 2-D and 3-D inputs alike.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string column names.

    input_shape_ : tuple of int
        Shape of one sample of ``X`` in ``fit``; ``predict`` rejects others.

    n_outputs_ : int
        Number of targets per step.

    loss_curve_ : list of float
        Training loss at the end of each epoch, in the units of the data as
        given (the target scaling undone).

    validation_loss_curve_ : list of float
        Validation loss per epoch, in the same units; only with
        ``early_stopping=True``.

    best_loss_ : float
        Lowest value of the monitored loss: validation with early stopping,
        training otherwise.

    n_iter_ : int
        Number of epochs run, over all warm-started fits.

    history_ : dict of str to list of float
        Everything Keras recorded per epoch, over all warm-started fits.

    See Also
    --------
    make_windows : Cut a series into windows and targets for this estimator.
    sklearn.neural_network.MLPRegressor : The feed-forward counterpart.

    Notes
    -----
    ``predict`` runs the trained network in float64 NumPy rather than
    TensorFlow: each row is computed on its own (results do not depend on the
    batch), and a few rows take microseconds rather than milliseconds.

    TensorFlow's thread pool is sized once per process: set the environment
    variable ``SKGRU_NUM_THREADS`` before the first fit to cap it. In joblib
    workers it follows ``OMP_NUM_THREADS``, which joblib sets to
    ``cpu_count // n_jobs``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgru import GRUSequenceRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 8))
    >>> y = X[:, -1] + 0.5 * X[:, -2]
    >>> reg = GRUSequenceRegressor(units=8, n_layers=1, epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = {
        "units": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "return_sequences": ["boolean"],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions({"adam", "rmsprop", "sgd"})],
        "loss": [StrOptions({"mse", "mae", "huber"})],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "standardize": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "callbacks": [list, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        units=80,
        n_layers=2,
        dropout=0.3,
        recurrent_dropout=0.0,
        return_sequences=False,
        learning_rate=1e-3,
        optimizer="adam",
        loss="mse",
        batch_size=32,
        epochs=50,
        shuffle=True,
        standardize=True,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        warm_start=False,
        callbacks=None,
        random_state=None,
        verbose=0,
    ):
        self.units = units
        self.n_layers = n_layers
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.return_sequences = return_sequences
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.loss = loss
        self.batch_size = batch_size
        self.epochs = epochs
        self.shuffle = shuffle
        self.standardize = standardize
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.warm_start = warm_start
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit

    @_keeps_python_random_state
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the network on sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences; 2-D input is a batch of univariate sequences.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets. With ``return_sequences=True``, one per time step:
            ``(n_samples, n_timesteps)`` or
            ``(n_samples, n_timesteps, n_outputs)``.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : GRUSequenceRegressor
            The fitted estimator.
        """
        incremental = self.warm_start and hasattr(self, "model_")
        return self._fit(X, y, sample_weight, self.epochs, incremental, False)

    @_keeps_python_random_state
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one pass over ``X`` and ``y``.

        The first call builds the network and learns the scaling statistics;
        later calls continue training it and must pass data of the same
        shapes. Early stopping does not apply.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences.

        y : array-like
            Targets, shaped as for :meth:`fit`.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : GRUSequenceRegressor
            The updated estimator.
        """
        incremental = hasattr(self, "model_")
        return self._fit(X, y, sample_weight, 1, incremental, True)

    def _fit(self, X, y, sample_weight, epochs, incremental, partial):
        # Keep everything needed to leave the estimator as it was if this fit
        # fails: the attributes, and the weights of a network trained on.
        saved_state = dict(self.__dict__)
        saved_weights = self._snapshot_training_state()

        if incremental:
            self._check_same_architecture("partial_fit" if partial else "fit")
        X, y = self._validate_inputs(X, y, reset=not incremental)
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float32, ensure_non_negative=True
        )

        if self.recurrent_dropout > 0:
            warnings.warn(
                f"recurrent_dropout={self.recurrent_dropout} disables the fused "
                "cuDNN GRU kernel; training on a GPU will be several times "
                "slower. Use dropout between layers instead, or set "
                "recurrent_dropout=0.",
                UserWarning,
                stacklevel=5,
            )

        if self.return_sequences:
            # One weight per time step, as Keras wants for sequence losses.
            sample_weight = np.repeat(sample_weight[:, None], X.shape[1], axis=1)

        # The validation tail is split off first: neither the scaling
        # statistics nor the weights ever see it.
        X_train, y_train, w_train, validation = self._split_validation(
            X, y, sample_weight, partial
        )
        if not incremental:
            self._set_scaling(X_train, y_train)
        X_train, y_train = self._scale(X_train, y_train)
        if validation is not None:
            X_val, y_val, w_val = validation
            validation = (*self._scale(X_val, y_val), w_val)

        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        self._seed = seed
        current = self.__dict__.get("_network")
        network = current if incremental else self._network_for_fit(current)
        network.y_scale.assign(self._y_scale.astype(np.float32))
        self.model_ = network.model
        with seeded(seed):
            if incremental:
                self.model_.optimizer.learning_rate.assign(self.learning_rate)
            else:
                network.reset(self.learning_rate)

            keras = get_keras()
            history = keras.callbacks.History()
            stopper = self._make_stopper(validation is not None, partial)
            callbacks = [history, _stop_on_non_finite(keras, self.model_)]
            callbacks += [stopper] if stopper is not None else []
            callbacks += self._fresh_callbacks()

            interrupted = False
            try:
                self.model_.fit(
                    X_train,
                    y_train,
                    sample_weight=w_train,
                    validation_data=validation,
                    batch_size=self.batch_size,
                    epochs=epochs,
                    shuffle=self.shuffle,
                    verbose=self.verbose,
                    callbacks=callbacks,
                )
            except KeyboardInterrupt:
                interrupted = True
                # Keras restores the best weights only when training ends.
                if stopper is not None and stopper.restore_best_weights:
                    if stopper.best_weights is not None:
                        self.model_.set_weights(stopper.best_weights)

        records = history.history
        if not self._is_finite(records):
            self._restore(saved_state, saved_weights, network)
            advice = "" if self.standardize else "set standardize=True, "
            raise ValueError(
                "Training diverged: the loss became NaN or infinite. Try a "
                f"smaller learning_rate (got {self.learning_rate}), {advice}"
                "or check X and y for extreme values."
            )
        if interrupted and not records.get("loss"):
            # Interrupted before the first epoch ended: nothing was learned.
            self._restore(saved_state, saved_weights, network)
            warnings.warn(
                "fit was interrupted before the first epoch ended; the "
                "estimator is left as it was before this fit.",
                UserWarning,
                stacklevel=5,
            )
            return self

        self._record_history(records, extend=incremental)
        self._weights = extract_weights(self.model_)
        self._own_network(network)
        if interrupted:
            warnings.warn(
                f"fit was interrupted after {len(records['loss'])} epoch(s); "
                "the estimator keeps the weights reached so far"
                + (" (the best ones)." if stopper and validation else "."),
                UserWarning,
                stacklevel=5,
            )
        elif not partial and not (stopper is not None and stopper.stopped_epoch):
            self._warn_if_not_converged()
        return self

    def _validate_inputs(self, X, y, reset):
        """Check X and y, convert to float32 3-D arrays; remember shapes."""
        if self.return_sequences and y is not None:
            X = validate_data(self, X, reset=reset, allow_nd=True, dtype=np.float32)
            y = check_array(
                y,
                ensure_2d=False,
                allow_nd=True,
                dtype=np.float32,
                input_name="y",
            )
            if y.ndim not in (2, 3) or y.shape[:2] != X.shape[:2]:
                raise ValueError(
                    "With return_sequences=True, y must hold one target per "
                    "time step, shape (n_samples, n_timesteps) or "
                    "(n_samples, n_timesteps, n_outputs), matching X's first "
                    f"two dimensions {X.shape[:2]}; got y of shape {y.shape}. "
                    "Use return_sequences=False for one target per sequence."
                )
        else:
            X, y = validate_data(
                self,
                X,
                y,
                reset=reset,
                allow_nd=True,
                multi_output=True,
                y_numeric=True,
                dtype=np.float32,
            )
        if X.ndim > 3:
            raise ValueError(
                "X must have 2 dimensions (n_samples, n_timesteps) or 3 "
                "(n_samples, n_timesteps, n_features); got shape "
                f"{X.shape}. Reshape it to (n_samples, n_timesteps, n_features)."
            )

        if reset:
            self.input_shape_ = tuple(X.shape[1:])
            self._y_shape = tuple(y.shape[1:])
        else:
            self._check_input_shape(X)
            if tuple(y.shape[1:]) != self._y_shape:
                raise ValueError(
                    f"y has shape {y.shape}, but this estimator was first "
                    f"trained on y of shape {_shape_text(self._y_shape)}. "
                    "Pass targets of the same shape, or fit from scratch."
                )

        # Internally X is always 3-D and y has a trailing output axis.
        X = X.reshape(X.shape[0], X.shape[1], -1)
        if self.return_sequences:
            y = y.reshape(y.shape[0], y.shape[1], -1)
        else:
            y = y.reshape(y.shape[0], -1)
        if reset:
            self.n_outputs_ = y.shape[-1]
        return X, y

    def _check_input_shape(self, X):
        # (n, T) and (n, T, 1) are the same univariate sequences.
        def steps_and_features(shape):
            return tuple(shape[:1]) + (tuple(shape[1:]) or (1,))

        if steps_and_features(X.shape[1:]) != steps_and_features(self.input_shape_):
            raise ValueError(
                f"X has shape {X.shape}, but {type(self).__name__} was fitted "
                f"on X of shape {_shape_text(self.input_shape_)}. Pass "
                "sequences with the same number of time steps and features "
                "as in fit."
            )

    def _check_same_architecture(self, method):
        changed = [
            f"{name}: {self._architecture[name]!r} -> {getattr(self, name)!r}"
            for name in _ARCHITECTURE_PARAMS
            if getattr(self, name) != self._architecture[name]
        ]
        if changed:
            raise ValueError(
                f"{method} would continue training the existing network, but "
                f"these parameters changed since it was built: {'; '.join(changed)}. "
                "Set them back, or set warm_start=False to train a new network."
            )

    def _set_scaling(self, X, y):
        """Learn per-feature and per-output mean and scale (float64)."""
        self._architecture = {
            name: getattr(self, name) for name in _ARCHITECTURE_PARAMS
        }
        n_features, n_outputs = X.shape[-1], y.shape[-1]
        if not self.standardize:
            self._x_mean, self._x_scale = np.zeros(n_features), np.ones(n_features)
            self._y_mean, self._y_scale = np.zeros(n_outputs), np.ones(n_outputs)
            return
        X_flat = X.reshape(-1, n_features)
        y_flat = y.reshape(-1, n_outputs)
        self._x_mean = X_flat.mean(axis=0, dtype=np.float64)
        self._x_scale = _nonzero(X_flat.std(axis=0, dtype=np.float64))
        self._y_mean = y_flat.mean(axis=0, dtype=np.float64)
        self._y_scale = _nonzero(y_flat.std(axis=0, dtype=np.float64))

    def _scale(self, X, y):
        X = ((X - self._x_mean) / self._x_scale).astype(np.float32)
        y = ((y - self._y_mean) / self._y_scale).astype(np.float32)
        return X, y

    def _split_validation(self, X, y, sample_weight, partial):
        """Hold out the tail of the samples for early stopping."""
        if not self.early_stopping or partial:
            return X, y, sample_weight, None
        n_samples = X.shape[0]
        n_val = int(np.ceil(self.validation_fraction * n_samples))
        if n_val < 1 or n_samples - n_val < 1:
            raise ValueError(
                f"early_stopping=True with validation_fraction="
                f"{self.validation_fraction} leaves no samples to train or to "
                f"validate on: got n_samples={n_samples}. Pass more samples "
                "or set early_stopping=False."
            )
        cut = n_samples - n_val
        validation = (X[cut:], y[cut:], sample_weight[cut:])
        return X[:cut], y[:cut], sample_weight[:cut], validation

    def _network_signature(self):
        return (
            self.input_shape_[:1] + (self.input_shape_[1:] or (1,)),
            self.n_outputs_,
            self.units,
            self.n_layers,
            self.dropout,
            self.recurrent_dropout,
            self.return_sequences,
            self.optimizer,
            self.loss,
        )

    def _network_for_fit(self, current):
        """The compiled network to train from scratch: ours if it fits."""
        signature = self._network_signature()
        if current is not None and current.signature == signature:
            return current
        return acquire_network(signature)

    def _own_network(self, network):
        """Keep ``network``; a replaced one goes back for reuse."""
        current = self.__dict__.get("_network")
        if network is current:
            return
        if current is not None:
            self._network_finalizer.detach()
            release_network(current)
        self._network = network
        self._network_finalizer = weakref.finalize(self, release_network, network)
        self._network_finalizer.atexit = False

    def _make_stopper(self, has_validation, partial):
        """EarlyStopping on the monitored loss in data units, or None."""
        if partial:
            return None
        return _early_stopping(
            get_keras(),
            monitor="val_data_loss" if has_validation else "data_loss",
            min_delta=self.tol,
            patience=self.n_iter_no_change,
            restore_best_weights=has_validation,
            mode="min",
        )

    def _fresh_callbacks(self):
        """Deep copies of the user's callbacks, detached from any model."""
        if not self.callbacks:
            return []
        memo = {}
        for callback in self.callbacks:
            model = getattr(callback, "_model", None)
            if model is not None:
                memo[id(model)] = None
        return [copy.deepcopy(callback, memo) for callback in self.callbacks]

    def _snapshot_training_state(self):
        network = self.__dict__.get("_network")
        if network is None:
            return None
        return network.model.get_weights(), network.optimizer_state()

    def _restore(self, saved_state, saved_weights, network):
        """Put back the attributes and weights from before a failed fit."""
        self.__dict__.clear()
        self.__dict__.update(saved_state)
        current = self.__dict__.get("_network")
        if network is not current:
            release_network(network)
        if current is not None:
            weights, optimizer_state = saved_weights
            current.model.set_weights(weights)
            current.set_optimizer_state(optimizer_state)

    @staticmethod
    def _is_finite(records):
        # The loss that is optimised; the curves in data units may overflow
        # float32 for huge targets without anything being wrong.
        return all(
            np.all(np.isfinite(records.get(key, []))) for key in ("loss", "val_loss")
        )

    def _record_history(self, records, extend):
        records = {k: [float(v) for v in values] for k, values in records.items()}
        if not extend:
            self.history_ = {}
        for key, values in records.items():
            self.history_.setdefault(key, []).extend(values)
        self.loss_curve_ = list(self.history_["data_loss"])
        if "val_data_loss" in self.history_:
            self.validation_loss_curve_ = list(self.history_["val_data_loss"])
            self.best_loss_ = min(self.validation_loss_curve_)
        else:
            self.__dict__.pop("validation_loss_curve_", None)
            self.best_loss_ = min(self.loss_curve_)
        self.n_iter_ = len(self.loss_curve_)

    def _warn_if_not_converged(self):
        curve = getattr(self, "validation_loss_curve_", self.loss_curve_)
        window = self.n_iter_no_change
        if len(curve) <= window:
            improved = len(curve) < 2 or min(curve[1:]) < curve[0] - self.tol
        else:
            improved = min(curve[-window:]) < min(curve[:-window]) - self.tol
        if improved:
            warnings.warn(
                f"Training stopped after epochs={self.epochs} while the loss was "
                f"still improving by more than tol={self.tol}. Increase epochs, "
                "or continue with warm_start=True.",
                ConvergenceWarning,
                stacklevel=6,
            )

    # -------------------------------------------------------------- predict

    def predict(self, X, return_std=False):
        """Predict targets for sequences ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences, shaped as in ``fit``.

        return_std : bool, default=False
            Also return the spread of the prediction under Monte Carlo
            dropout: the standard deviation over 100 passes with the dropout
            layers between the GRU layers left on, seeded by
            ``random_state``. Needs ``dropout > 0`` and ``n_layers >= 2``.

        Returns
        -------
        y_pred : ndarray of float64
            Predictions of the trained network (dropout off), shaped like the
            ``y`` given to ``fit``.

        y_std : ndarray of float64
            Only with ``return_std=True``: the spread, shaped like ``y_pred``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, allow_nd=True, dtype=np.float64)
        self._check_input_shape(X)
        X = X.reshape(X.shape[0], X.shape[1], -1)
        X = (X - self._x_mean) / self._x_scale
        # The network as fitted, whatever set_params did since.
        fitted = self._architecture
        sequences = fitted["return_sequences"]
        y_pred = self._unscale(forward(self._weights, X, sequences))
        if not return_std:
            return y_pred

        if fitted["dropout"] == 0 or fitted["n_layers"] < 2:
            raise ValueError(
                "return_std=True measures the spread under Monte Carlo dropout, "
                "but the fitted network has no dropout layer (dropout="
                f"{fitted['dropout']}, n_layers={fitted['n_layers']}). Fit with "
                "dropout > 0 and n_layers >= 2."
            )
        rng = np.random.default_rng(self._seed)
        draws = [
            self._unscale(
                forward(self._weights, X, sequences, dropout=fitted["dropout"], rng=rng)
            )
            for _ in range(_MC_DROPOUT_DRAWS)
        ]
        return y_pred, np.std(draws, axis=0)

    def _unscale(self, y):
        """Network outputs to the units and shape of the fitted y."""
        y = y * self._y_scale + self._y_mean
        return y.reshape((y.shape[0],) + self._y_shape)

    def forecast(self, history, steps):
        """Forecast ``steps`` values recursively after the end of ``history``.

        The model must have been trained on univariate next-step windows
        (for example from :func:`~skgru.make_windows` with ``horizon=1``):
        each predicted value is appended to the window, which then slides one
        step. For a direct multi-step forecast, train on ``horizon > 1``
        targets and call :meth:`predict` instead.

        Parameters
        ----------
        history : array-like of shape (n_time,)
            The series so far; its last ``n_timesteps`` values seed the
            forecast.

        steps : int
            Number of future values to forecast.

        Returns
        -------
        forecast : ndarray of shape (steps,)
            The forecast values, in the units of the series.
        """
        check_is_fitted(self)
        n_timesteps = self.input_shape_[0]
        if self.input_shape_[1:] not in ((), (1,)) or self.n_outputs_ != 1:
            raise ValueError(
                "forecast needs a model trained on univariate windows with one "
                f"target per step; this one was fitted on X of shape "
                f"{_shape_text(self.input_shape_)} with {self.n_outputs_} "
                "outputs. Use predict on windows for direct multi-step models."
            )
        if isinstance(steps, bool) or not isinstance(steps, Integral) or steps < 1:
            raise ValueError(f"steps must be a positive integer; got {steps!r}.")
        history = check_array(
            history, ensure_2d=False, dtype=np.float64, input_name="history"
        )
        if history.ndim != 1 or history.shape[0] < n_timesteps:
            raise ValueError(
                f"history must be a 1-D series of at least {n_timesteps} values "
                f"(the model's window); got shape {history.shape}."
            )

        window = list((history[-n_timesteps:] - self._x_mean[0]) / self._x_scale[0])
        forecast = np.empty(steps)
        for i in range(steps):
            X = np.asarray(window[-n_timesteps:]).reshape(1, n_timesteps, 1)
            y = forward(self._weights, X, self.return_sequences).reshape(-1)[-1]
            forecast[i] = y * self._y_scale[0] + self._y_mean[0]
            window.append((forecast[i] - self._x_mean[0]) / self._x_scale[0])
        return forecast

    # ---------------------------------------------------- sklearn & pickle

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        return tags

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("model_", None)
        state.pop("_network_finalizer", None)
        network = state.pop("_network", None)
        if network is not None:
            state["_network_state"] = {
                "weights": network.model.get_weights(),
                "optimizer": network.optimizer_state(),
            }
        return state

    def __setstate__(self, state):
        saved = state.pop("_network_state", None)
        super().__setstate__(state)
        if saved is None:
            return
        network = acquire_network(self._network_signature())
        network.model.set_weights(saved["weights"])
        network.set_optimizer_state(saved["optimizer"])
        self.model_ = network.model
        self._own_network(network)


def _nonzero(scale):
    """Replace zero scales by one, as sklearn's scalers do."""
    scale = np.asarray(scale, dtype=np.float64)
    scale[scale < 10 * np.finfo(np.float64).eps] = 1.0
    return scale


def _shape_text(sample_shape):
    """'(n_samples, 16, 3)' for the shape of one sample (16, 3)."""
    return "(" + ", ".join(["n_samples", *map(str, sample_shape)]) + ")"


def _stop_on_non_finite(keras, model):
    """Callback that stops training at a NaN or infinite batch loss, silently.

    Keras' TerminateOnNaN prints a message; skgru prints nothing at verbose=0
    and raises a clear error after the fit instead.
    """

    def check(batch, logs):
        if logs and not np.isfinite(logs.get("loss", 0.0)):
            model.stop_training = True

    return keras.callbacks.LambdaCallback(on_train_batch_end=check)


def _early_stopping(keras, **kwargs):
    """Keras' EarlyStopping, comparing losses as Python floats.

    Keras compares them as float32 tensors, which fails for losses above
    3.4e38, as the loss of targets around 1e20 is in the units of the data.
    """

    class EarlyStopping(keras.callbacks.EarlyStopping):
        def _is_improvement(self, monitor_value, reference_value):
            if reference_value is None:
                return True
            return float(monitor_value) < float(reference_value) - abs(self.min_delta)

    return EarlyStopping(**kwargs)
