"""Training throughput of the 2 x 80 GRU network by batch size, in window-steps/s.

One epoch of 20 batches on random data after a warm-up, for windows of 16
values with one target and of 128 values with a target at every step. Run
from the repository root: ``python benchmarks/bench_throughput.py``.
"""

import time

import numpy as np

from skgru._backend import get_keras
from skgru._model import build_network

N_BATCHES = 20


def main():
    keras = get_keras()
    rng = np.random.default_rng(0)
    for n_timesteps, sequence in ((16, False), (128, True)):
        for batch_size in (32, 128, 512):
            model = build_network(
                (n_timesteps, 1),
                1,
                units=80,
                n_layers=2,
                dropout=0.3,
                recurrent_dropout=0.0,
                return_sequences=sequence,
            )
            model.compile(
                optimizer=keras.optimizers.Adam(), loss="mse", jit_compile=False
            )
            n = batch_size * N_BATCHES
            X = rng.random((n, n_timesteps, 1), dtype=np.float32)
            y_shape = (n, n_timesteps, 1) if sequence else (n, 1)
            y = rng.random(y_shape, dtype=np.float32)

            # The first call traces the graph; time the second.
            model.fit(
                X[: 2 * batch_size],
                y[: 2 * batch_size],
                batch_size=batch_size,
                verbose=0,
            )
            start = time.perf_counter()
            model.fit(X, y, batch_size=batch_size, epochs=1, verbose=0)
            seconds = time.perf_counter() - start
            print(
                f"window {n_timesteps:>3}, batch {batch_size:>3}: "
                f"{seconds / N_BATCHES * 1000:5.0f} ms/batch, "
                f"{n * n_timesteps / seconds:8.0f} window-steps/s"
            )


if __name__ == "__main__":
    main()
