"""
=====================================
The TensorFlow GRU tutorial, in skgru
=====================================

This example reproduces the classic TensorFlow time-series tutorial with
:class:`~skgru.GRUSequenceRegressor`: a noisy sum of two sines, windows of 16
values, the tutorial's two GRU layers of 80 units trained to predict the
window shifted by one step, and a chronological 80/20 split. You will see the
series, the test error of the last-step prediction set against a naive
forecast, a ridge regression on the same 16 lags and the noise floor, the
error at each step of the window, the forecast drawn over the actual test
values, and the training loss per epoch.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

from skgru import (
    ActualVsPredictedDisplay,
    GRUSequenceRegressor,
    LossCurveDisplay,
    make_tutorial_series,
    make_windows,
)

# Number of training epochs. The test suite sets the environment variable
# SKGRU_EXAMPLE_EPOCHS=1 to run every example in seconds; the default of 8
# takes about two minutes on two CPU cores.
EPOCHS = int(os.environ.get("SKGRU_EXAMPLE_EPOCHS", "8"))

# %%
# The series
# ----------
# ``sin(0.2 t) + sin(0.15 t)`` plus uniform noise, 24,000 points, exactly as
# the tutorial builds it. The first 300 points show the beat of the two sines.
series = make_tutorial_series()
time = np.arange(len(series))

fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
ax.plot(time[:300], series[:300], label="tutorial series")
ax.set_xlabel("time step")
ax.set_ylabel("value")
ax.set_title("The first 300 of 24,000 points")
ax.legend()

# %%
# Windows and a chronological split
# ---------------------------------
# Each sample is 16 consecutive values; with ``sequence=True`` its target is
# the same window shifted one step ahead, so the network learns a next-value
# prediction at every position. The first 80% of the windows train, the last
# 20% test: never shuffle a time series before splitting it.
WINDOW = 16
X, y = make_windows(series, WINDOW, sequence=True)
split = int(0.8 * len(X))
X_train, X_test = X[:split], X[split:]
y_train, y_test = y[:split], y[split:]
print(f"train: X {X_train.shape}, y {y_train.shape}")
print(f"test:  X {X_test.shape}, y {y_test.shape}")

# %%
# The tutorial's network
# ----------------------
# The defaults of :class:`~skgru.GRUSequenceRegressor` are the tutorial's
# choices: two GRU layers of 80 units, dropout 0.3 between them, Adam at a
# learning rate of 1e-3 and batches of 32. ``return_sequences=True`` applies
# the output layer at every step, so the loss covers all 16 of them. With only
# a few epochs the loss is still falling, and skgru says so with a
# ``ConvergenceWarning``.
reg = GRUSequenceRegressor(return_sequences=True, epochs=EPOCHS, random_state=0)
reg.fit(X_train, y_train)

# %%
# Scoring the last step
# ---------------------
# As in the tutorial, only the prediction at the last step counts: it is the
# one that has seen all 16 values. It is set against three references: the
# naive forecast that repeats the last value, a ridge regression on the same
# 16 lags, and the noise floor. The noise, twice one draw of U(0, 0.1), has
# variance 4 * 0.1**2 / 12 = 0.00333, the error no forecast can beat.
y_pred = reg.predict(X_test)
mse = {
    "naive (last value)": mean_squared_error(y_test[:, -1], X_test[:, -1]),
    "ridge on 16 lags": mean_squared_error(
        y_test[:, -1], Ridge(alpha=1e-3).fit(X_train, y_train[:, -1]).predict(X_test)
    ),
    "GRU, last step": mean_squared_error(y_test[:, -1], y_pred[:, -1]),
}
NOISE_FLOOR = 4 * 0.1**2 / 12
for name, value in mse.items():
    print(f"test MSE, {name:<20} {value:.5f}")
print(f"noise floor{'':<20} {NOISE_FLOOR:.5f}")

fig, ax = plt.subplots(layout="constrained")
ax.bar(list(mse), list(mse.values()), color=["tab:gray", "tab:blue", "tab:orange"])
ax.axhline(NOISE_FLOOR, color="black", linestyle="--", label="noise floor")
ax.set_yscale("log")
ax.set_ylabel("test mean squared error")
ax.set_title("Next-value forecast on the last 20% of the series")
ax.legend()

# %%
# Why score the last step only
# ----------------------------
# The error at each position of the window shows what the sequence loss
# averages over: the first steps see one or two values and cannot tell where
# in the cycle they are; the error falls as the network sees more values.
step_mse = ((y_test - y_pred) ** 2).mean(axis=0)

fig, ax = plt.subplots(layout="constrained")
ax.plot(np.arange(1, WINDOW + 1), step_mse, marker="o", label="GRU")
ax.axhline(NOISE_FLOOR, color="black", linestyle="--", label="noise floor")
ax.set_yscale("log")
ax.set_xlabel("position in the window (values seen)")
ax.set_ylabel("test mean squared error")
ax.legend()

# %%
# Forecast against the actual values
# ----------------------------------
# :class:`~skgru.ActualVsPredictedDisplay` draws the last-step predictions of
# the first 200 test windows at the time of their targets: window ``i`` ends
# at step ``i + 15`` and its last target is step ``i + 16``.
n_shown = 200
index = np.arange(split, split + n_shown) + WINDOW
fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
ActualVsPredictedDisplay.from_predictions(
    y_test[:n_shown], y_pred[:n_shown], index=index, ax=ax, marker="."
)
ax.set_xlabel("time step")
ax.set_title("Next-value forecast on the test set")

# %%
# Training loss
# -------------
# :class:`~skgru.LossCurveDisplay` reads ``loss_curve_``, the training MSE per
# epoch in the units of the series. It is measured with dropout active and
# over all 16 steps, so it stays above the test error of the last step.
fig, ax = plt.subplots(layout="constrained")
LossCurveDisplay.from_estimator(
    reg, ax=ax, loss_name="training MSE, all steps", marker="o"
)
ax.set_title("Training loss per epoch")

plt.show()
