"""Training controls: early stopping, warm start, partial_fit, callbacks."""

import os
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.metrics import mean_squared_error
from sklearn.utils.validation import check_is_fitted

from skgru import GRUSequenceRegressor
from skgru._backend import get_keras

SMALL = dict(units=8, n_layers=1, learning_rate=1e-2, random_state=0)


def _sequences(n_samples=160, n_timesteps=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_timesteps))
    return X, X[:, -1] + 0.5 * X[:, -2]


def _keras_callback(**hooks):
    """A fresh Keras LambdaCallback; its closures are shared by copies."""
    return get_keras().callbacks.LambdaCallback(**hooks)


class _StopAfter:
    """Keras callback factory: stops training after ``n`` epochs it has seen.

    Its counter is never reset, so a copy carried from one fit to the next
    would stop the next fit at once.
    """

    def __new__(cls, n):
        keras = get_keras()

        class StopAfter(keras.callbacks.Callback):
            def __init__(self, n):
                super().__init__()
                self.n, self.seen = n, 0

            def on_epoch_end(self, epoch, logs=None):
                self.seen += 1
                if self.seen >= self.n:
                    self.model.stop_training = True

        return StopAfter(n)


def test_early_stopping_stops_on_plateau_and_restores_best_weights():
    # The tail's targets are noise: validation loss stops improving early.
    X, y = _sequences(n_samples=300)
    y = y.copy()
    y[-60:] = np.random.default_rng(1).normal(size=60)
    reg = GRUSequenceRegressor(
        **SMALL,
        epochs=200,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=3,
    ).fit(X, y)

    assert reg.n_iter_ < 200
    curve = reg.validation_loss_curve_
    best_epoch = int(np.argmin(curve))
    assert best_epoch == reg.n_iter_ - 1 - 3
    assert reg.best_loss_ == min(curve)
    # Predictions come from the best epoch's weights.
    val_mse = mean_squared_error(y[-60:], reg.predict(X[-60:]))
    np.testing.assert_allclose(val_mse, reg.best_loss_, rtol=1e-4)


def test_validation_tail_is_never_trained_on():
    # The tail's targets are far outside anything in training: a network or a
    # scaler that saw them would predict values near 100 there.
    X, y = _sequences(n_samples=200)
    X_tail = np.full((50, X.shape[1]), 3.0)
    X_all = np.concatenate([X, X_tail])
    y_all = np.concatenate([y, np.full(50, 100.0)])
    reg = GRUSequenceRegressor(
        **SMALL, epochs=20, early_stopping=True, validation_fraction=0.2
    ).fit(X_all, y_all)

    assert np.all(reg.predict(X_tail) < 20)
    assert reg.best_loss_ > 80**2
    np.testing.assert_allclose(reg._y_mean, y.mean())


def test_loss_curves_have_n_iter_entries_in_data_units():
    X, y = _sequences()
    y_big = 100.0 * y
    reg = GRUSequenceRegressor(
        **SMALL, epochs=4, early_stopping=True, validation_fraction=0.25
    ).fit(X, y_big)
    assert reg.n_iter_ == 4
    assert len(reg.loss_curve_) == len(reg.validation_loss_curve_) == 4
    assert set(reg.history_) >= {"loss", "val_loss", "data_loss", "val_data_loss"}
    # history_'s "loss" is on standardized targets; the curves are in the
    # units of y: scaled by y's variance.
    ratio = np.array(reg.loss_curve_) / np.array(reg.history_["loss"])
    np.testing.assert_allclose(ratio, np.var(y_big[:120]), rtol=0.02)
    val_mse = mean_squared_error(y_big[120:], reg.predict(X[120:]))
    np.testing.assert_allclose(reg.validation_loss_curve_[-1], val_mse, rtol=1e-4)


def test_training_loss_tol_stops_without_early_stopping():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=100, tol=10.0, n_iter_no_change=2).fit(
        X, y
    )
    # No epoch improves by 10: training stops after the patience runs out.
    assert reg.n_iter_ == 3
    assert not hasattr(reg, "validation_loss_curve_")


def test_convergence_warning_when_epochs_run_out():
    X, y = _sequences()
    with pytest.warns(ConvergenceWarning, match="still improving"):
        GRUSequenceRegressor(**SMALL, epochs=3).fit(X, y)


def test_no_convergence_warning_after_stopping_on_tol():
    X, y = _sequences()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        GRUSequenceRegressor(**SMALL, epochs=50, tol=10.0, n_iter_no_change=2).fit(X, y)


def test_warm_start_appends_and_continues():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=3, warm_start=True, shuffle=False)
    reg.fit(X, y)
    first_curve = list(reg.loss_curve_)
    reg.fit(X, y)

    assert reg.n_iter_ == 6
    assert reg.loss_curve_[:3] == first_curve
    assert len(reg.history_["loss"]) == 6
    # Continues from the trained weights: no jump back to the first loss.
    assert reg.loss_curve_[3] < first_curve[0]
    assert reg.loss_curve_[5] < first_curve[2]


def test_without_warm_start_fit_starts_over():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=3)
    first = reg.fit(X, y).predict(X)
    second = reg.fit(X, y).predict(X)
    assert reg.n_iter_ == 3
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    "param, value", [("units", 16), ("n_layers", 2), ("standardize", False)]
)
def test_warm_start_rejects_architecture_change(param, value):
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=1, warm_start=True).fit(X, y)
    reg.set_params(**{param: value})
    with pytest.raises(ValueError, match=f"{param}: .* -> {value!r}"):
        reg.fit(X, y)


def test_warm_start_accepts_a_new_learning_rate():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=1, warm_start=True).fit(X, y)
    reg.set_params(learning_rate=1e-4).fit(X, y)
    lr = get_keras().ops.convert_to_numpy(reg.model_.optimizer.learning_rate)
    np.testing.assert_allclose(lr, 1e-4)
    assert reg.n_iter_ == 2


def test_partial_fit_twice_equals_fit_for_two_epochs():
    X, y = _sequences()
    params = dict(SMALL, shuffle=False, dropout=0.0, n_layers=2, epochs=2)
    fitted = GRUSequenceRegressor(**params).fit(X, y)
    partial = GRUSequenceRegressor(**params)
    partial.partial_fit(X, y).partial_fit(X, y)

    assert partial.n_iter_ == 2
    np.testing.assert_allclose(partial.loss_curve_, fitted.loss_curve_, rtol=1e-6)
    np.testing.assert_allclose(partial.predict(X), fitted.predict(X), rtol=1e-6)


def test_partial_fit_rejects_other_shapes():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL).partial_fit(X, y)
    with pytest.raises(ValueError, match="X has 5 features"):
        reg.partial_fit(X[:, :5], y)
    with pytest.raises(ValueError, match=r"y has shape \(160, 2\)"):
        reg.partial_fit(X, np.c_[y, y])


def test_callbacks_are_fresh_for_every_fit_and_clone():
    X, y = _sequences()
    stopper = _StopAfter(2)
    reg = GRUSequenceRegressor(**SMALL, epochs=5, callbacks=[stopper])
    assert reg.fit(X, y).n_iter_ == 2
    assert reg.fit(X, y).n_iter_ == 2
    assert clone(reg).fit(X, y).n_iter_ == 2
    # The user's own object is never attached to a network nor advanced.
    assert stopper.seen == 0
    assert getattr(stopper, "_model", None) is None


def test_reused_keras_early_stopping_does_not_stop_the_next_fit():
    keras = get_keras()
    X, y = _sequences()
    early = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
    reg = GRUSequenceRegressor(**SMALL, epochs=6, callbacks=[early]).fit(X, y)
    # Harder data: a carried-over best value would stop this fit at epoch 3.
    X_hard, y_hard = _sequences(seed=5)
    reg.fit(X_hard, 10 * y_hard)
    assert reg.n_iter_ == 6
    assert early.wait == 0
    assert getattr(early, "_model", None) is None


def test_diverging_loss_raises_and_leaves_the_estimator_unfitted():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=3, standardize=False)
    with pytest.raises(ValueError, match="smaller learning_rate.*standardize=True"):
        reg.fit(X, np.full_like(y, 1e30))
    with pytest.raises(NotFittedError):
        check_is_fitted(reg)


def test_diverging_warm_start_keeps_the_previous_fit():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, epochs=2, standardize=False, warm_start=True)
    before = reg.fit(X, y).predict(X)
    curve = list(reg.loss_curve_)
    with pytest.raises(ValueError, match="NaN or infinite"):
        reg.fit(X, np.full_like(y, 1e30))
    np.testing.assert_array_equal(reg.predict(X), before)
    assert reg.loss_curve_ == curve
    # Training goes on from the same state.
    reg.fit(X, y)
    assert reg.n_iter_ == 4


def test_keyboard_interrupt_keeps_a_usable_estimator():
    def interrupt(epoch, logs):
        if epoch == 1:
            raise KeyboardInterrupt

    X, y = _sequences()
    reg = GRUSequenceRegressor(
        **SMALL, epochs=10, callbacks=[_keras_callback(on_epoch_end=interrupt)]
    )
    with pytest.warns(UserWarning, match="interrupted after 2 epoch"):
        reg.fit(X, y)
    assert reg.n_iter_ == 2
    assert reg.predict(X).shape == (160,)


def test_keyboard_interrupt_with_early_stopping_keeps_best_weights():
    def interrupt(epoch, logs):
        if epoch == 4:
            raise KeyboardInterrupt

    X, y = _sequences(n_samples=200)
    reg = GRUSequenceRegressor(
        **SMALL,
        epochs=10,
        early_stopping=True,
        callbacks=[_keras_callback(on_epoch_end=interrupt)],
    )
    with pytest.warns(UserWarning, match="the best ones"):
        reg.fit(X, y)
    val_mse = mean_squared_error(y[-20:], reg.predict(X[-20:]))
    np.testing.assert_allclose(val_mse, min(reg.validation_loss_curve_), rtol=1e-4)


def test_fit_writes_nothing_to_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    X, y = _sequences()
    GRUSequenceRegressor(**SMALL, epochs=2, early_stopping=True).fit(X, y)
    assert os.listdir(tmp_path) == []


def test_warnings_point_at_the_callers_line():
    X, y = _sequences()
    with pytest.warns(ConvergenceWarning) as record:
        GRUSequenceRegressor(**SMALL, epochs=2).fit(X, y)
    assert record[0].filename == __file__
    with pytest.warns(UserWarning, match="recurrent_dropout") as record:
        GRUSequenceRegressor(**SMALL, epochs=1, recurrent_dropout=0.1).partial_fit(X, y)
    assert record[0].filename == __file__
