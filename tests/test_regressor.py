"""Behaviour of GRUSequenceRegressor as a scikit-learn estimator."""

import copy
import pickle
import random
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import (
    GridSearchCV,
    TimeSeriesSplit,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skgru import GRUSequenceRegressor, make_tutorial_series, make_windows

SMALL = dict(units=8, n_layers=1, epochs=3, learning_rate=1e-2, random_state=0)


def _sequences(n_samples=120, n_timesteps=6, n_features=None, seed=0):
    """Random sequences whose target depends on the last two steps."""
    rng = np.random.default_rng(seed)
    shape = (n_samples, n_timesteps) + ((n_features,) if n_features else ())
    X = rng.normal(size=shape)
    last = X[:, -1] if n_features is None else X[:, -1, 0]
    before = X[:, -2] if n_features is None else X[:, -2, 0]
    return X, last + 0.5 * before


def _run_python(code):
    """Run code in a fresh interpreter; return (stdout, stderr)."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout, result.stderr


def test_import_loads_no_tensorflow():
    stdout, _ = _run_python(
        """
        import sys
        import skgru
        from skgru import GRUSequenceRegressor, make_windows
        print(sorted(m for m in ("tensorflow", "keras") if m in sys.modules))
        """
    )
    assert stdout.strip() == "[]"


def test_verbose_zero_prints_nothing_at_all():
    # A fresh process, so TensorFlow's own start-up notices would show too.
    stdout, stderr = _run_python(
        """
        import numpy as np
        from skgru import GRUSequenceRegressor
        X = np.random.default_rng(0).normal(size=(40, 5))
        reg = GRUSequenceRegressor(units=4, n_layers=2, epochs=2, random_state=0)
        import warnings
        warnings.simplefilter("ignore")
        reg.fit(X, X[:, -1]).predict(X)
        """
    )
    assert stdout == ""
    assert stderr == ""


@pytest.mark.parametrize("capture", ["capsys", "capfd"])
def test_verbose_zero_silent_in_process(capture, request):
    captured = request.getfixturevalue(capture)
    X, y = _sequences()
    GRUSequenceRegressor(**SMALL, verbose=0).fit(X, y).predict(X)
    assert captured.readouterr() == ("", "")


def test_verbose_two_shows_keras_progress(capsys):
    X, y = _sequences()
    GRUSequenceRegressor(**SMALL, verbose=2).fit(X, y)
    assert "Epoch 3/3" in capsys.readouterr().out


@pytest.mark.parametrize(
    "X_shape, y_shape, return_sequences",
    [
        ((30, 5), (30,), False),
        ((30, 5, 3), (30,), False),
        ((30, 5), (30, 2), False),
        ((30, 5, 3), (30, 4), False),
        ((30, 5), (30, 5), True),
        ((30, 5, 3), (30, 5, 2), True),
        ((30, 5, 2), (30, 5, 1), True),
    ],
)
def test_predict_keeps_the_shape_of_y(X_shape, y_shape, return_sequences):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=X_shape), rng.normal(size=y_shape)
    reg = GRUSequenceRegressor(**SMALL, return_sequences=return_sequences)
    y_pred = reg.fit(X, y).predict(X)
    assert y_pred.shape == y_shape
    assert y_pred.dtype == np.float64
    assert reg.n_features_in_ == X_shape[1]
    assert reg.input_shape_ == X_shape[1:]


def test_predict_matches_the_keras_network():
    X, y = _sequences(n_features=2)
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    X_scaled = (X - reg._x_mean) / reg._x_scale
    keras_pred = reg.model_.predict(X_scaled.astype("float32"), verbose=0)
    keras_pred = keras_pred.ravel() * reg._y_scale + reg._y_mean
    np.testing.assert_allclose(reg.predict(X), keras_pred, rtol=1e-4, atol=1e-5)


def test_predict_rejects_other_input_shape():
    X, y = _sequences(n_features=3)
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    with pytest.raises(ValueError, match=r"shape \(4, 6, 2\).*\(n_samples, 6, 3\)"):
        reg.predict(X[:4, :, :2])
    with pytest.raises(ValueError, match="X has 5 features, but"):
        reg.predict(X[:4, :5])


def test_fit_rejects_sequence_targets_of_wrong_shape():
    X, _ = _sequences()
    reg = GRUSequenceRegressor(**SMALL, return_sequences=True)
    with pytest.raises(ValueError, match=r"one target per time step.*\(120,\)"):
        reg.fit(X, X[:, -1])


def test_fit_rejects_four_dimensional_input():
    X = np.zeros((10, 3, 2, 2))
    with pytest.raises(ValueError, match=r"got shape \(10, 3, 2, 2\)"):
        GRUSequenceRegressor(**SMALL).fit(X, np.zeros(10))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"units": 0}, "'units' parameter"),
        ({"dropout": 1.0}, "'dropout' parameter"),
        ({"optimizer": "adagrad"}, "'optimizer' parameter"),
        ({"loss": "hinge"}, "'loss' parameter"),
        ({"epochs": 2.5}, "'epochs' parameter"),
    ],
)
def test_invalid_parameters_are_named(params, match):
    X, y = _sequences()
    with pytest.raises(InvalidParameterError, match=match):
        GRUSequenceRegressor(**params).fit(X, y)


def test_fit_leaves_inputs_unchanged():
    X, y = _sequences(n_features=2)
    weights = np.linspace(0.5, 1.5, len(y))
    X_before, y_before, w_before = X.copy(), y.copy(), weights.copy()
    GRUSequenceRegressor(**SMALL).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(weights, w_before)


def test_sample_weight_selects_the_weighted_samples():
    # The same sequences twice with opposite targets: only the weighted copy
    # may be learned.
    X, y = _sequences(n_samples=100)
    X2, y2 = np.concatenate([X, X]), np.concatenate([y, -y])
    weights = np.r_[np.ones(100), np.zeros(100)]
    params = {**SMALL, "epochs": 30}
    reg = GRUSequenceRegressor(**params).fit(X2, y2, sample_weight=weights)
    assert reg.score(X, y) > 0.7


def test_standardize_trains_on_raw_large_scale_targets():
    X, y = _sequences(n_samples=200)
    X_raw, y_raw = 50.0 * X + 300.0, 1000.0 * y + 5000.0
    params = {**SMALL, "epochs": 30}
    reg = GRUSequenceRegressor(**params).fit(X_raw, y_raw)
    assert reg.score(X_raw, y_raw) > 0.8
    assert abs(reg.predict(X_raw).mean() - y_raw.mean()) < 0.1 * y_raw.std()


def test_dataframe_input_records_feature_names():
    X, y = _sequences()
    frame = pd.DataFrame(X, columns=[f"lag_{i}" for i in range(X.shape[1])])
    reg = GRUSequenceRegressor(**SMALL).fit(frame, pd.Series(y))
    assert list(reg.feature_names_in_) == list(frame.columns)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        from_array = reg.predict(X)
    np.testing.assert_allclose(reg.predict(frame), from_array)


def test_integer_random_state_gives_identical_fits():
    X, y = _sequences()
    first = GRUSequenceRegressor(**SMALL).fit(X, y).predict(X)
    second = GRUSequenceRegressor(**SMALL).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)
    other = GRUSequenceRegressor(**{**SMALL, "random_state": 1}).fit(X, y)
    assert not np.array_equal(first, other.predict(X))


def test_identical_predictions_across_processes():
    code = """
        import numpy as np
        from skgru import GRUSequenceRegressor
        rng = np.random.default_rng(0)
        X = rng.normal(size=(80, 6, 2))
        y = X[:, -1, 0] + 0.5 * X[:, -2, 1]
        reg = GRUSequenceRegressor(units=8, n_layers=2, dropout=0.3, epochs=2,
                                   random_state=7)
        import warnings
        warnings.simplefilter("ignore")
        print(reg.fit(X, y).predict(X).tobytes().hex())
        """
    first, _ = _run_python(code)
    second, _ = _run_python(code)
    assert len(first.strip()) == 80 * 16
    assert first == second


def test_fit_leaves_global_random_state_untouched():
    X, y = _sequences()
    np.random.seed(123)
    random.seed(123)
    numpy_state, python_state = np.random.get_state(), random.getstate()
    GRUSequenceRegressor(**SMALL).fit(X, y)
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(numpy_state, after))
    assert random.getstate() == python_state


def test_pickle_joblib_and_deepcopy_round_trips(tmp_path):
    X, y = _sequences(n_features=2)
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    expected = reg.predict(X)

    unpickled = pickle.loads(pickle.dumps(reg))
    joblib.dump(reg, tmp_path / "reg.joblib")
    loaded = joblib.load(tmp_path / "reg.joblib")
    copied = copy.deepcopy(reg)
    for other in (unpickled, loaded, copied):
        np.testing.assert_array_equal(other.predict(X), expected)
        assert other.get_params() == reg.get_params()
    # The original keeps working after being pickled.
    np.testing.assert_array_equal(reg.predict(X), expected)


def test_unpickled_estimator_can_continue_training():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL, warm_start=True).fit(X, y)
    twin = pickle.loads(pickle.dumps(reg))
    reg.fit(X, y)
    twin.fit(X, y)
    np.testing.assert_allclose(twin.predict(X), reg.predict(X), rtol=1e-6)
    assert twin.n_iter_ == reg.n_iter_ == 6


def test_clone_is_unfitted_with_same_params():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    twin = clone(reg)
    assert twin.get_params() == reg.get_params()
    assert not hasattr(twin, "model_")


def test_pipeline_with_scaler_fits_and_pickles():
    X, y = _sequences(n_samples=200)
    pipe = make_pipeline(StandardScaler(), GRUSequenceRegressor(**SMALL))
    pipe.fit(X, y)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))
    assert pipe.score(X, y) > 0.3


def test_train_test_split_and_score():
    X, y = _sequences(n_samples=300)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    reg = GRUSequenceRegressor(**{**SMALL, "epochs": 10}).fit(X_train, y_train)
    assert reg.score(X_test, y_test) > 0.6


def test_cross_val_score_with_time_series_split():
    X, y = _sequences(n_samples=200)
    scores = cross_val_score(
        GRUSequenceRegressor(**{**SMALL, "epochs": 10}),
        X,
        y,
        cv=TimeSeriesSplit(n_splits=3),
    )
    assert scores.shape == (3,)
    assert np.all(scores > 0.3)


def test_grid_search_over_units_and_dropout_with_one_and_two_jobs():
    X, y = _sequences(n_samples=120)
    results = []
    for n_jobs in (1, 2):
        search = GridSearchCV(
            GRUSequenceRegressor(**{**SMALL, "n_layers": 2}),
            {"units": [4, 8], "dropout": [0.0, 0.2]},
            cv=TimeSeriesSplit(n_splits=2),
            n_jobs=n_jobs,
        ).fit(X, y)
        assert search.best_params_["units"] in (4, 8)
        assert search.best_estimator_.predict(X).shape == (120,)
        results.append(search.cv_results_["mean_test_score"])
    assert results[0].shape == (4,)
    assert np.all(np.isfinite(results[0]))
    # Seeded fits give the same scores in worker processes as in this one.
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


def test_recurrent_dropout_warns_about_the_fused_kernel():
    X, y = _sequences()
    with pytest.warns(UserWarning, match="recurrent_dropout=0.2 disables the fused"):
        GRUSequenceRegressor(**SMALL, recurrent_dropout=0.2).fit(X, y)


def test_defaults_learn_the_tutorial_task():
    # The tutorial's network and training scheme (every step a target, the
    # last one scored) on a shorter stretch of its series.
    series = make_tutorial_series(8_000)
    cut = 6_000
    X_train, y_train = make_windows(series[:cut], 16, sequence=True)
    X_test, y_test = make_windows(series[cut - 16 :], 16, sequence=True)
    reg = GRUSequenceRegressor(return_sequences=True, epochs=4, random_state=0)
    reg.fit(X_train, y_train)

    last_step_mse = mean_squared_error(y_test[:, -1], reg.predict(X_test)[:, -1])
    naive_mse = mean_squared_error(y_test[:, -1], X_test[:, -1])
    assert naive_mse > 0.03
    assert last_step_mse < 0.3 * naive_mse


def test_forecast_tracks_a_pure_sine():
    t = np.arange(700)
    series = np.sin(0.2 * t)
    X, y = make_windows(series[:600], 16)
    reg = GRUSequenceRegressor(
        units=16, n_layers=1, epochs=40, learning_rate=1e-2, random_state=0
    ).fit(X, y)
    forecast = reg.forecast(series[:600], 30)
    assert forecast.shape == (30,)
    assert np.max(np.abs(forecast - series[600:630])) < 0.15
    # Seeded by the last window only.
    np.testing.assert_array_equal(reg.forecast(series[584:600], 30), forecast)


def test_forecast_rejects_unsuitable_models_and_input():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    with pytest.raises(ValueError, match="at least 6 values"):
        reg.forecast(np.zeros(3), 5)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        reg.forecast(np.zeros(10), 0)
    multi = GRUSequenceRegressor(**SMALL).fit(X, np.c_[y, y])
    with pytest.raises(ValueError, match="with 2 outputs"):
        multi.forecast(np.zeros(10), 5)


def test_predict_return_std_gives_monte_carlo_dropout_spread():
    X, y = _sequences(n_samples=200)
    reg = GRUSequenceRegressor(**{**SMALL, "n_layers": 2, "dropout": 0.3}).fit(X, y)
    y_pred, y_std = reg.predict(X[:20], return_std=True)
    np.testing.assert_array_equal(y_pred, reg.predict(X[:20]))
    assert y_std.shape == (20,)
    assert np.all(y_std > 0)
    # Seeded by random_state: the same spread every call.
    np.testing.assert_array_equal(reg.predict(X[:20], return_std=True)[1], y_std)
    # Unusual inputs, far from the training data, are less certain.
    _, far_std = reg.predict(10 * X[:20], return_std=True)
    assert far_std.mean() > y_std.mean()


def test_predict_return_std_needs_dropout_layers():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    with pytest.raises(
        ValueError, match=r"no dropout layer \(dropout=0.3, n_layers=1\)"
    ):
        reg.predict(X, return_std=True)


def test_first_fit_in_a_process_keeps_python_random_state():
    stdout, _ = _run_python(
        """
        import random
        import warnings
        import numpy as np
        from skgru import GRUSequenceRegressor
        warnings.simplefilter("ignore")
        X = np.random.default_rng(0).normal(size=(30, 4))
        random.seed(5)
        state = random.getstate()
        GRUSequenceRegressor(units=2, n_layers=1, epochs=1, random_state=0).fit(
            X, X[:, -1]
        )
        print(random.getstate() == state)
        """
    )
    assert stdout.strip() == "True"


def test_predict_uses_the_fitted_network_after_set_params():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**{**SMALL, "n_layers": 2, "dropout": 0.3}).fit(X, y)
    y_pred, y_std = reg.predict(X[:5], return_std=True)
    reg.set_params(return_sequences=True, dropout=0.0, n_layers=1, random_state=3)
    np.testing.assert_array_equal(reg.predict(X[:5]), y_pred)
    np.testing.assert_array_equal(reg.predict(X[:5], return_std=True)[1], y_std)


def test_univariate_2d_and_3d_inputs_are_interchangeable():
    X, y = _sequences()
    reg = GRUSequenceRegressor(**SMALL).fit(X, y)
    np.testing.assert_array_equal(reg.predict(X[:, :, np.newaxis]), reg.predict(X))


def test_huge_targets_train_with_standardize():
    X, y = _sequences()
    huge = GRUSequenceRegressor(**SMALL).fit(X, 1e20 * y)
    plain = GRUSequenceRegressor(**SMALL).fit(X, y)
    assert np.all(np.isfinite(huge.loss_curve_))
    # Standardized targets: the same network up to float32 rounding.
    np.testing.assert_allclose(huge.predict(X) / 1e20, plain.predict(X), atol=1e-4)
    np.testing.assert_allclose(
        np.array(huge.loss_curve_) / 1e40, plain.loss_curve_, rtol=1e-3
    )


def test_diverging_fit_prints_nothing(capfd):
    X, y = _sequences()
    reg = GRUSequenceRegressor(
        units=3, n_layers=1, epochs=2, learning_rate=1e30, optimizer="sgd"
    )
    with pytest.raises(ValueError, match="diverged"):
        reg.fit(X, y)
    assert capfd.readouterr() == ("", "")
