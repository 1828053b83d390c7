"""Train one GRU configuration on the tutorial series and report its test MSE.

Each run appends one JSON line to ``benchmarks/recipe_runs.jsonl``; the table
in ``benchmarks/recipe.md`` is built from those lines. Run from the
repository root, one run at a time::

    python benchmarks/bench_recipe.py --window 16 --stride 1 --epochs 20
"""

import argparse
import json
import time
from pathlib import Path

T_START = time.perf_counter()

import numpy as np  # noqa: E402

from skgru import GRUSequenceRegressor, make_tutorial_series  # noqa: E402
from skgru._evaluate import (  # noqa: E402
    baseline_predictions,
    holdout_windows,
    last_step,
    split_point,
    training_windows,
)

NOISE_FLOOR = 4 * 0.1**2 / 12
RESULTS = Path(__file__).with_name("recipe_runs.jsonl")

# Shared with the tracking callback by reference: the estimator deep-copies its
# callbacks, and a module-level dict survives that.
_TRACK = {}


def _make_tracker():
    """Keras callback: test MSE on every 4th test window after each epoch.

    For exploration only; the reported test_mse is on all test windows.
    """
    from skgru._backend import get_keras

    keras = get_keras()

    class TestTracker(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            t0 = time.perf_counter()
            reg, X_test, y_test = _TRACK["reg"], _TRACK["X"], _TRACK["y"]
            X = ((X_test[..., None] - reg._x_mean) / reg._x_scale).astype("float32")
            out = np.concatenate(
                [
                    np.asarray(self.model(X[i : i + 1024], training=False))
                    for i in range(0, len(X), 1024)
                ]
            )
            out = out.reshape(len(X), -1)[:, -1] * reg._y_scale[0] + reg._y_mean[0]
            _TRACK["curve"].append(round(float(np.mean((out - y_test) ** 2)), 6))
            _TRACK["eval_s"] += time.perf_counter() - t0
            print(f"  test MSE after epoch {epoch + 1}: {_TRACK['curve'][-1]}")

    return TestTracker()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=int, default=16)
    parser.add_argument("--stride", type=int, default=1)
    parser.add_argument("--sequence", action="store_true")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--units", type=int, default=80)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--early-stopping", action="store_true")
    parser.add_argument("--patience", type=int, default=10)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--validation-fraction", type=float, default=0.1)
    parser.add_argument("--no-standardize", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--track", action="store_true")
    parser.add_argument("--note", default="")
    args = parser.parse_args()

    series = make_tutorial_series()
    cut = split_point(len(series), 0.2)
    X, y = training_windows(
        series, cut, args.window, stride=args.stride, sequence=args.sequence
    )
    X_test, y_test = holdout_windows(series, cut, args.window, sequence=args.sequence)
    y_test = last_step(y_test)
    ridge = baseline_predictions(series, cut, args.window)[
        f"ridge ({args.window} lags)"
    ]
    ridge_mse = float(np.mean((ridge - y_test) ** 2))

    reg = GRUSequenceRegressor(
        units=args.units,
        n_layers=args.layers,
        dropout=args.dropout,
        return_sequences=args.sequence,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        epochs=args.epochs,
        standardize=not args.no_standardize,
        early_stopping=args.early_stopping,
        validation_fraction=args.validation_fraction,
        n_iter_no_change=args.patience,
        tol=args.tol,
        random_state=args.seed,
        verbose=2,
    )
    # The tracker scores every 4th test window, to keep its cost down.
    _TRACK.update(
        reg=reg, X=np.asarray(X_test)[::4], y=y_test[::4], curve=[], eval_s=0.0
    )
    if args.track:
        reg.set_params(callbacks=[_make_tracker()])
    t0 = time.perf_counter()
    reg.fit(X, y)
    fit_s = time.perf_counter() - t0 - _TRACK["eval_s"]
    y_pred = last_step(reg.predict(X_test))
    mse = float(np.mean((y_pred - y_test) ** 2))
    total_s = time.perf_counter() - T_START

    record = {
        "window": args.window,
        "stride": args.stride,
        "sequence": args.sequence,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "units": args.units,
        "layers": args.layers,
        "dropout": args.dropout,
        "standardize": not args.no_standardize,
        "early_stopping": args.early_stopping,
        "patience": args.patience,
        "tol": args.tol,
        "validation_fraction": args.validation_fraction,
        "epochs_max": args.epochs,
        "epochs_run": reg.n_iter_,
        "seed": args.seed,
        "train_windows": int(X.shape[0]),
        "window_steps_per_epoch": int(X.shape[0] * args.window),
        "fit_s": round(fit_s, 1),
        "total_s": round(total_s, 1),
        "test_mse": round(mse, 6),
        "ridge_mse": round(ridge_mse, 6),
        "ratio_to_ridge": round(mse / ridge_mse, 3),
        "ratio_to_floor": round(mse / NOISE_FLOOR, 3),
        "loss_curve": [round(v, 6) for v in reg.loss_curve_],
        "validation_loss_curve": [
            round(v, 6) for v in getattr(reg, "validation_loss_curve_", [])
        ],
        "test_mse_curve": _TRACK["curve"],
        "note": args.note,
    }
    with RESULTS.open("a") as f:
        f.write(json.dumps(record) + "\n")
    keys = ["train_windows", "epochs_run", "fit_s", "total_s", "test_mse"]
    print({k: record[k] for k in keys + ["ratio_to_ridge"]})


if __name__ == "__main__":
    main()
