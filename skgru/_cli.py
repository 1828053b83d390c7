"""The ``skgru`` command line: the tutorial demo and forecasts of a CSV column."""

import argparse
import csv
import math
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from . import __version__
from ._backend import get_keras
from ._datasets import TUTORIAL_NOISE_FLOOR, load_sample_series, make_tutorial_series
from ._evaluate import (
    baseline_predictions,
    format_table,
    holdout_windows,
    last_step,
    score_rows,
    split_point,
    training_windows,
)
from ._plot import ActualVsPredictedDisplay, LossCurveDisplay
from ._regressor import GRUSequenceRegressor

# Training recipes measured on the tutorial series with 2 CPU cores; see
# benchmarks/recipe.md for every configuration tried. n_iter_no_change=None
# trains every epoch and keeps the weights of the best validation epoch: the
# validation loss of these recipes may stall for ten epochs before it falls
# again, and a shorter patience stopped one seed at 1.1 times Ridge's MSE.
RECIPES = {
    # 16-value windows, one target each: about 2 minutes in all.
    "short": {
        "window": 16,
        "stride": 1,
        "sequence": False,
        "batch_size": 128,
        "learning_rate": 3e-3,
        "epochs": 30,
        "n_iter_no_change": None,
    },
    # 128-value windows, 8 steps apart, a target at every step (the window
    # shifted by one): about 5 minutes.
    "long": {
        "window": 128,
        "stride": 8,
        "sequence": True,
        "batch_size": 64,
        "learning_rate": 3e-3,
        "epochs": 80,
        "n_iter_no_change": None,
    },
}

# Early stopping watches the last 10% of the training windows. The loss of a
# good model is a few thousandths, so improvements are counted from 1e-7 on.
VALIDATION_FRACTION = 0.1
TOL = 1e-7

# Fewest training windows a forecast accepts: enough for a validation tail.
MIN_TRAIN_WINDOWS = 20

# Number of test time steps drawn in the demo's figure.
DEMO_PLOT_STEPS = 300

SPLIT_NOTE = (
    "The series is split in time: the first part trains the network, the "
    "rest is predicted. The first test windows start inside the training "
    "part, so that every test value is predicted from the values before it; "
    "no test value is ever trained on. Early stopping holds out the last 10% "
    "of the training windows."
)


class InputError(Exception):
    """Bad input from the command line: reported in one line, exit code 2."""


class TrainingFailed(Exception):
    """Training went wrong (the loss diverged): one line, exit code 1."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message):
        raise InputError(f"{message} (see '{self.prog} --help')")


# ------------------------------------------------------------------ main


def main(argv=None):
    """Run the ``skgru`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name; ``sys.argv[1:]`` if None.

    Returns
    -------
    status : int
        0 on success, 2 for bad input, 1 if training failed, 130 when
        interrupted.
    """
    start = time.perf_counter()
    try:
        args = _build_parser().parse_args(argv)
        return args.run(args, start)
    except InputError as exc:
        print(f"skgru: error: {exc}", file=sys.stderr)
        return 2
    except TrainingFailed as exc:
        print(f"skgru: error: {exc}", file=sys.stderr)
        return 1
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        print("skgru: interrupted", file=sys.stderr)
        return 130


def _build_parser():
    parser = _Parser(
        prog="skgru",
        description="A GRU sequence regressor with the scikit-learn API.",
        epilog="Run 'skgru COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"skgru {__version__}")
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser
    )
    commands.required = True
    _add_demo(commands)
    _add_forecast(commands)
    return parser


def _add_common(parser, *, epochs_help):
    parser.add_argument(
        "--epochs", type=_positive_int, default=None, metavar="N", help=epochs_help
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("skgru-output"),
        metavar="DIR",
        help="folder for the figures (default: skgru-output)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the network's weights, dropout and shuffling (default: 0)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but the result table",
    )


def _add_demo(commands):
    short, long = RECIPES["short"], RECIPES["long"]
    parser = commands.add_parser(
        "demo",
        help="the TensorFlow time-series tutorial, end to end",
        description=_paragraphs(
            "Train the tutorial's network (2 GRU layers of 80 units, dropout "
            "0.3, Adam) on its series, sin(0.2t) + sin(0.15t) plus uniform "
            "noise, 24,000 points: the first 80% are trained on, the last "
            "20% predicted one step ahead. Prints the test MSE of skgru, of "
            "the last value (naive), of Ridge on the same lags and the noise "
            "floor no model can beat; saves actual_vs_predicted.png and "
            "loss_curve.png.",
            f"Default: windows of {short['window']} values, one target each, "
            f"batch {short['batch_size']}, learning rate "
            f"{short['learning_rate']}, up to {short['epochs']} epochs "
            "(about 2 minutes on 2 CPU cores). --long: windows of "
            f"{long['window']} values every {long['stride']} steps, trained to "
            "predict the window shifted by one step (a target at every step), "
            f"batch {long['batch_size']}, up to {long['epochs']} epochs (about "
            "5 minutes).",
            SPLIT_NOTE,
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--long",
        action="store_true",
        help="the long-window recipe, closer to the noise floor (about 5 min)",
    )
    parser.add_argument(
        "--window",
        type=_positive_int,
        default=None,
        metavar="W",
        help=f"values per window (default: {short['window']}, with --long "
        f"{long['window']})",
    )
    parser.add_argument(
        "--n-points",
        type=_positive_int,
        default=24_000,
        metavar="N",
        help="length of the series, for a quick run (default: 24000)",
    )
    _add_common(
        parser,
        epochs_help=f"most epochs to train (default: {short['epochs']}, with "
        f"--long {long['epochs']}); early stopping may end sooner",
    )
    parser.set_defaults(run=_run_demo)


def _add_forecast(commands):
    parser = commands.add_parser(
        "forecast",
        help="train on the start of a CSV column, forecast its end",
        description=_paragraphs(
            "Train a GRU on the first part of a series and predict the rest, "
            "each value --horizon steps ahead from the --window values known "
            "then. Compares the test MSE and MAE with the last known value "
            "(naive) and with Ridge on the same windows; writes forecast.csv "
            "(time, actual, predicted), forecast.png and loss_curve.png.",
            SPLIT_NOTE,
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE.csv",
        help="CSV file with a header line; or use --sample",
    )
    parser.add_argument(
        "--column", metavar="NAME", help="column of FILE.csv to forecast"
    )
    parser.add_argument(
        "--time-column",
        metavar="NAME",
        help="column of FILE.csv written as the time in forecast.csv "
        "(default: the row number)",
    )
    parser.add_argument(
        "--sample",
        choices=["membrane", "sp500"],
        help="forecast a series shipped with matplotlib instead of a file",
    )
    parser.add_argument(
        "--window",
        type=_positive_int,
        default=32,
        metavar="W",
        help="past values the network sees (default: 32)",
    )
    parser.add_argument(
        "--horizon",
        type=_positive_int,
        default=1,
        metavar="H",
        help="predict each value H steps ahead (default: 1)",
    )
    parser.add_argument(
        "--test-fraction",
        type=_fraction,
        default=0.2,
        metavar="F",
        help="share of the series, at its end, that is predicted (default: 0.2)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        default=None,
        metavar="B",
        help="windows per gradient step (default: 128 from 4096 training "
        "windows on, else 32)",
    )
    parser.add_argument(
        "--learning-rate",
        type=_positive_float,
        default=None,
        metavar="LR",
        help="Adam's step size (default: 0.003 with batches of 128, else 0.001)",
    )
    _add_common(
        parser,
        epochs_help="most epochs to train (default: 30); early stopping may end sooner",
    )
    parser.set_defaults(run=_run_forecast)


def _paragraphs(*paragraphs):
    """Help text wrapped at 79 columns, paragraphs kept apart."""
    return "\n\n".join(textwrap.fill(p, 79) for p in paragraphs)


def _checked(convert, valid, expected):
    """argparse type: ``convert`` the text, reject it unless ``valid``."""

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not valid(value):
            raise argparse.ArgumentTypeError(f"must be {expected}, got {text!r}")
        return value

    return parse


_positive_int = _checked(int, lambda v: v >= 1, "a positive integer")
_positive_float = _checked(float, lambda v: 0 < v < math.inf, "a positive number")
_fraction = _checked(float, lambda v: 0 < v < 1, "a number between 0 and 1, exclusive")


# ------------------------------------------------------------------ demo


def _run_demo(args, start):
    recipe = dict(RECIPES["long" if args.long else "short"])
    if args.window is not None:
        recipe["window"] = args.window
    if args.epochs is not None:
        recipe["epochs"] = args.epochs

    series = make_tutorial_series(args.n_points)
    cut = split_point(len(series), 0.2)
    _check_length(len(series), cut, recipe["window"], 1, recipe["stride"])
    out = _make_out_dir(args.out)

    say = _Say(args.quiet)
    say(
        f"Tutorial series: {len(series)} points; training on the first {cut}, "
        f"predicting the last {len(series) - cut} one step ahead."
    )
    say(_describe(recipe))
    result = _train_and_score(series, cut, recipe, 1, args.seed, say)

    floor = TUTORIAL_NOISE_FLOOR
    rows = result["rows"]
    _save_figures(
        out,
        result,
        "actual_vs_predicted.png",
        title=f"Tutorial series, first {DEMO_PLOT_STEPS} test steps",
        xlabel="time step",
        n_steps=DEMO_PLOT_STEPS,
    )

    print(
        format_table(
            rows, reference=result["reference"], extra_rows=[("noise floor", floor)]
        )
    )
    print(
        f"wall time: {time.perf_counter() - start:.0f} s (training "
        f"{result['fit_s']:.0f} s, {result['model'].n_iter_} epochs)"
    )
    say(f"Figures: {out / 'actual_vs_predicted.png'}, {out / 'loss_curve.png'}")
    return 0


# -------------------------------------------------------------- forecast


def _run_forecast(args, start):
    if (args.file is None) == (args.sample is None):
        raise InputError(
            "give either FILE.csv with --column NAME, or --sample membrane|sp500"
        )
    if args.sample is not None:
        series = load_sample_series(args.sample)
        times = list(range(len(series)))
        source = f"sample series {args.sample!r}"
    else:
        if args.column is None:
            raise InputError(f"--column NAME is required with {args.file}")
        series, times = _read_csv_column(args.file, args.column, args.time_column)
        source = f"column {args.column!r} of {args.file}"

    cut = split_point(len(series), args.test_fraction)
    _check_length(len(series), cut, args.window, args.horizon, 1)
    out = _make_out_dir(args.out)

    n_train_windows = cut - args.window - args.horizon + 1
    batch_size = args.batch_size or (128 if n_train_windows >= 4096 else 32)
    default_lr = 3e-3 if batch_size >= 128 else 1e-3
    recipe = {
        "window": args.window,
        "stride": 1,
        "sequence": False,
        "batch_size": batch_size,
        "learning_rate": args.learning_rate or default_lr,
        "epochs": args.epochs or 30,
        "n_iter_no_change": 10,
    }

    say = _Say(args.quiet)
    say(
        f"{source}: {len(series)} values; training on the first {cut}, "
        f"predicting the last {len(series) - cut}, {args.horizon} step(s) ahead."
    )
    say(_describe(recipe, args.horizon))
    result = _train_and_score(series, cut, recipe, args.horizon, args.seed, say)

    _write_forecast_csv(
        out / "forecast.csv", times[cut:], result["y_true"], result["y_pred"]
    )
    _save_figures(
        out,
        result,
        "forecast.png",
        title=source,
        xlabel=args.time_column or "row",
        index=_plot_index(times[cut:]),
    )

    print(format_table(result["rows"], reference=result["reference"]))
    print(
        f"wall time: {time.perf_counter() - start:.0f} s (training "
        f"{result['fit_s']:.0f} s, {result['model'].n_iter_} epochs)"
    )
    say(
        f"Written: {out / 'forecast.csv'}, {out / 'forecast.png'}, "
        f"{out / 'loss_curve.png'}"
    )
    return 0


def _read_csv_column(path, column, time_column):
    """Values of one numeric column of a CSV file, and the time of each row."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            rows = [
                (reader.line_num, row)
                for row in reader
                if any(cell.strip() for cell in row)
            ]
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    except csv.Error as exc:
        raise InputError(f"{path} is not a valid CSV file: {exc}") from None
    if not rows:
        raise InputError(f"{path} is empty")

    header = [name.strip() for name in rows[0][1]]
    for name in (column, time_column):
        if name is not None and name not in header:
            available = ", ".join(repr(h) for h in header)
            raise InputError(
                f"column {name!r} not found in {path}; its columns are {available}"
            )
    position = header.index(column)
    time_position = None if time_column is None else header.index(time_column)

    values, times = [], []
    for i, (line, row) in enumerate(rows[1:]):
        where = f"line {line} of {path}"
        if len(row) != len(header):
            raise InputError(
                f"{where} has {len(row)} fields, the header has {len(header)}"
            )
        text = row[position].strip()
        if text == "":
            raise InputError(
                f"column {column!r} has a gap (an empty value) at {where}; "
                "fill or drop missing values first"
            )
        try:
            value = float(text)
        except ValueError:
            raise InputError(
                f"column {column!r} holds {text!r} at {where}, which is not a number"
            ) from None
        if not math.isfinite(value):
            raise InputError(
                f"column {column!r} holds {text!r} at {where}; fill or drop "
                "missing values first"
            )
        values.append(value)
        times.append(i if time_position is None else row[time_position].strip())
    return np.asarray(values, dtype=np.float64), times


def _write_forecast_csv(path, times, y_true, y_pred):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["time", "actual", "predicted"])
        for row in zip(times, y_true, y_pred, strict=True):
            writer.writerow([row[0], repr(float(row[1])), repr(float(row[2]))])


def _plot_index(times):
    """The test times as numbers or dates for the x axis, else None."""
    for dtype in (np.float64, "datetime64[ns]"):
        try:
            return np.asarray(times, dtype=dtype)
        except (ValueError, TypeError):
            continue
    return None


# ---------------------------------------------------------------- shared


def _check_length(n_time, cut, window, horizon, stride):
    """Raise InputError unless the series yields training and test windows."""
    n_windows = (cut - window - horizon) // stride + 1
    if cut < n_time and n_windows >= MIN_TRAIN_WINDOWS:
        return
    test_share = 1 - cut / n_time if n_time else 0.2
    needed = math.ceil(
        ((MIN_TRAIN_WINDOWS - 1) * stride + window + horizon)
        / max(1 - test_share, 0.01)
    )
    raise InputError(
        f"the series has {n_time} values, too few for windows of {window} "
        f"values, horizon {horizon} and a test part of {round(test_share * 100)}%: "
        f"training needs at least {MIN_TRAIN_WINDOWS} windows, i.e. about "
        f"{needed} values. Use a smaller --window or a longer series"
    )


def _make_out_dir(path):
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {path}: {exc}") from None
    return path


def _describe(recipe, horizon=1):
    if recipe["sequence"]:
        target = (
            "the window shifted by one step (a target at every step), windows "
            f"{recipe['stride']} steps apart"
        )
    else:
        target = "the next value" if horizon == 1 else f"the next {horizon} values"
    if recipe["n_iter_no_change"] is None:
        stopping = (
            f"{recipe['epochs']} epochs, keeping the weights of the best one on "
            f"the last {VALIDATION_FRACTION:.0%} of the windows"
        )
    else:
        stopping = (
            f"up to {recipe['epochs']} epochs, stopping {recipe['n_iter_no_change']} "
            f"epochs after the best one on the last {VALIDATION_FRACTION:.0%} of "
            "the windows"
        )
    return (
        f"GRU 2 x 80 units, dropout 0.3: windows of {recipe['window']} values "
        f"-> {target}; batch {recipe['batch_size']}, learning rate "
        f"{recipe['learning_rate']:g}, {stopping}."
    )


def _train_and_score(series, cut, recipe, horizon, seed, say):
    """Fit the network on ``series[:cut]``; score it and the baselines after."""
    window, sequence = recipe["window"], recipe["sequence"]
    X, y = training_windows(
        series, cut, window, horizon=horizon, stride=recipe["stride"], sequence=sequence
    )
    X_test, y_test = holdout_windows(
        series, cut, window, horizon=horizon, sequence=sequence
    )

    model = GRUSequenceRegressor(
        return_sequences=sequence,
        learning_rate=recipe["learning_rate"],
        batch_size=recipe["batch_size"],
        epochs=recipe["epochs"],
        early_stopping=True,
        validation_fraction=VALIDATION_FRACTION,
        n_iter_no_change=recipe["n_iter_no_change"] or recipe["epochs"],
        tol=TOL,
        random_state=seed,
        callbacks=None if say.quiet else [_progress_callback(recipe["epochs"])],
    )
    fit_start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        try:
            model.fit(X, y)
        except ValueError as exc:  # e.g. the loss diverged
            raise TrainingFailed(str(exc).splitlines()[0]) from None
    fit_s = time.perf_counter() - fit_start
    _report_warnings(caught, recipe["epochs"], say)

    y_true = last_step(y_test)
    y_pred = last_step(model.predict(X_test))
    predictions = {f"skgru (GRU, {window} steps)": y_pred}
    baselines = baseline_predictions(series, cut, window, horizon=horizon)
    predictions.update(baselines)
    return {
        "reference": list(baselines)[-1],
        "model": model,
        "fit_s": fit_s,
        "y_true": y_true,
        "y_pred": y_pred,
        "rows": score_rows(y_true, predictions),
        "cut": cut,
    }


def _save_figures(out, result, name, *, title, xlabel, index=None, n_steps=None):
    """Save the forecast and the loss curves as PNG files in ``out``."""
    # Figures without pyplot: drawn by the Agg canvas, no window, no global
    # backend switch for whoever called main().
    from matplotlib.figure import Figure

    y_true, y_pred = result["y_true"], result["y_pred"]
    if index is None:
        index = result["cut"] + np.arange(len(y_true))
    if n_steps is not None:
        y_true, y_pred, index = y_true[:n_steps], y_pred[:n_steps], index[:n_steps]

    fig = Figure(figsize=(10, 4), layout="constrained")
    ax = fig.subplots()
    ActualVsPredictedDisplay.from_predictions(
        y_true, y_pred, index=index, ax=ax, predicted_kw={"linestyle": "--"}
    )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    fig.savefig(out / name, dpi=100)

    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    LossCurveDisplay.from_estimator(result["model"], ax=ax, loss_name="MSE")
    ax.set_title("Training and validation loss")
    fig.savefig(out / "loss_curve.png", dpi=100)


def _report_warnings(caught, epochs, say):
    """The estimator's warnings as notes, in the command line's terms."""
    seen = set()
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            text = (
                f"training stopped after {epochs} epochs while the validation "
                "loss was still improving; more --epochs may help"
            )
        elif warning.category is UserWarning:
            text = str(warning.message).splitlines()[0]
        else:
            continue  # deprecations inside TensorFlow and the like
        if text not in seen:
            seen.add(text)
            say.note(text)


class _Say:
    """Progress lines on stdout and notes on stderr, unless quiet."""

    def __init__(self, quiet):
        self.quiet = quiet

    def __call__(self, line):
        if not self.quiet:
            print(line, flush=True)

    def note(self, line):
        if not self.quiet:
            print(f"skgru: note: {line}", file=sys.stderr, flush=True)


def _progress_callback(epochs):
    """A Keras callback printing one line per epoch."""
    keras = get_keras()

    class EpochLine(keras.callbacks.Callback):
        def __init__(self, epochs):
            super().__init__()
            self.epochs = epochs
            self.started = 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            line = f"epoch {epoch + 1:>{len(str(self.epochs))}}/{self.epochs}"
            if "data_loss" in logs:
                line += f"  loss {logs['data_loss']:.5f}"
            if "val_data_loss" in logs:
                line += f"  validation loss {logs['val_data_loss']:.5f}"
            line += f"  {time.perf_counter() - self.started:.1f} s"
            print(line, flush=True)

    return EpochLine(epochs)
