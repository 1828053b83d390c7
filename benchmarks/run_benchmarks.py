"""Speed and memory of skgru next to scikeras, Keras' SKLearnRegressor and raw Keras.

Run with ``python benchmarks/run_benchmarks.py [--quick]`` from an environment
with the ``test`` extra installed (``python3 run.py test`` makes one in
``.venv``). Prints one side-by-side table per measurement; nothing is asserted
and nothing is written to disk. Targets are in ``benchmarks/README.md``.
"""

import argparse
import gc
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
warnings.simplefilter("ignore")

WINDOW = 16


def _data(n_samples, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, WINDOW, 1)).astype("float32")
    return X, X[:, -1, 0] + 0.5 * X[:, -2, 0]


def _keras_network(meta=None, compile_kwargs=None):
    """The tutorial network in raw Keras (also the build function of peers)."""
    import keras

    model = keras.Sequential(
        [
            keras.Input((WINDOW, 1)),
            keras.layers.GRU(80, return_sequences=True),
            keras.layers.Dropout(0.3),
            keras.layers.GRU(80),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def _contenders(epochs):
    """name -> factory of an unfitted regressor taking (n, 16, 1) input."""
    from scikeras.wrappers import KerasRegressor

    from skgru import GRUSequenceRegressor

    contenders = {
        "skgru": lambda: GRUSequenceRegressor(epochs=epochs, random_state=0),
        "scikeras": lambda: KerasRegressor(_keras_network, epochs=epochs, verbose=0),
    }
    return contenders


def _table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)))


def bench_import():
    rows = []
    for name, code in [
        ("import skgru", "import skgru"),
        (
            "from skgru import GRUSequenceRegressor",
            "from skgru import GRUSequenceRegressor",
        ),
        ("import scikeras.wrappers", "import scikeras.wrappers"),
    ]:
        timed = (
            "import time; t = time.perf_counter(); "
            f"{code}; print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", timed], capture_output=True, text=True, check=True
        )
        rows.append([name, f"{float(out.stdout.split()[-1]):.2f}"])
    _table("Import time (s, fresh process)", ["statement", "s"], rows)


def bench_predict_latency(repeats):
    X, y = _data(2000)
    fitted = {name: make().fit(X, y) for name, make in _contenders(1).items()}
    keras_model = fitted["scikeras"].model_
    predictors = {
        "skgru.predict": fitted["skgru"].predict,
        "scikeras.predict": fitted["scikeras"].predict,
        "keras Model.predict": lambda A: keras_model.predict(A, verbose=0),
        "keras Model.__call__": lambda A: keras_model(A, training=False),
    }
    rows = []
    for name, predict in predictors.items():
        cells = [name]
        for n_rows in (1, 10, 1000):
            predict(X[:n_rows])  # warm up (tracing)
            start = time.perf_counter()
            for _ in range(repeats):
                predict(X[:n_rows])
            cells.append(f"{(time.perf_counter() - start) / repeats * 1e3:.2f}")
        rows.append(cells)
    _table(
        "predict latency (ms per call, 16-step windows, 2x80 GRU)",
        ["predictor", "1 row", "10 rows", "1000 rows"],
        rows,
    )


def bench_fit_throughput(n_samples):
    X, y = _data(n_samples)
    rows = []
    for name, make in _contenders(2).items():
        start = time.perf_counter()
        make().fit(X, y)
        seconds = time.perf_counter() - start
        rows.append(
            [name, f"{seconds:.1f}", f"{2 * n_samples * WINDOW / seconds:,.0f}"]
        )
    model = _keras_network()
    start = time.perf_counter()
    model.fit(X, y, epochs=2, batch_size=32, verbose=0)
    seconds = time.perf_counter() - start
    rows.append(
        ["raw keras", f"{seconds:.1f}", f"{2 * n_samples * WINDOW / seconds:,.0f}"]
    )
    _table(
        f"fit: 2 epochs on {n_samples} windows of 16 (incl. build and tracing)",
        ["estimator", "s", "window-steps/s"],
        rows,
    )


def _rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_repeated_fits(n_fits):
    X, y = _data(200)
    rows = []
    for name, make in _contenders(1).items():
        rss, times = [], []
        for _ in range(n_fits):
            # A fresh estimator each time, as in a grid search's clones.
            estimator = make()
            start = time.perf_counter()
            estimator.fit(X, y)
            times.append(time.perf_counter() - start)
            gc.collect()
            rss.append(_rss_mib())
        third = max(1, n_fits // 3)
        rows.append(
            [
                name,
                f"{rss[third - 1]:.0f}",
                f"{rss[-1]:.0f}",
                f"{(rss[-1] - rss[third - 1]) / (n_fits - third):+.2f}",
                f"{np.mean(times[:third]):.2f}",
                f"{np.mean(times[-third:]):.2f}",
            ]
        )
    _table(
        f"{n_fits} fits of fresh estimators, 1 epoch on 200 windows "
        "(RSS MiB; growth after the first third)",
        ["estimator", "RSS early", "RSS last", "MiB/fit", "s/fit early", "s/fit late"],
        rows,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    args = parser.parse_args()
    bench_import()
    bench_predict_latency(repeats=20 if args.quick else 100)
    bench_fit_throughput(n_samples=2000 if args.quick else 8000)
    bench_repeated_fits(n_fits=9 if args.quick else 30)


if __name__ == "__main__":
    main()
