"""
=============================================
Forecasting with a leading indicator as input
=============================================

A GRU reads any number of features per time step. This example builds two
related synthetic series, the rainfall over a catchment and the level of the
river downstream, which answers to the rain six hours later. It cuts both
into windows with :func:`~skgru.make_windows`, so that each sample is a
(time steps, features) array, and forecasts the next river level once from
the level alone and once from the level and the rain. You will see the two
series, the test errors of both models next to a naive forecast, and both
forecasts drawn over the actual levels.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import mean_squared_error

from skgru import ActualVsPredictedDisplay, GRUSequenceRegressor, make_windows

# Number of training epochs of each model. The test suite sets the environment
# variable SKGRU_EXAMPLE_EPOCHS=1 to run every example in seconds; the default
# of 30 takes about a minute on two CPU cores.
EPOCHS = int(os.environ.get("SKGRU_EXAMPLE_EPOCHS", "30"))

# %%
# Rain upstream, river level downstream
# -------------------------------------
# Hourly rainfall comes in bursts: the positive part of a persistent random
# signal. The river level falls back slowly towards its base, rises with the
# rain of six hours before, follows a small daily cycle and is read with some
# measurement noise.
rng = np.random.default_rng(0)
N_HOURS = 3_000
LAG = 6

weather = np.zeros(N_HOURS)
shocks = rng.normal(size=N_HOURS)
for t in range(1, N_HOURS):
    weather[t] = 0.85 * weather[t - 1] + shocks[t]
rain = np.maximum(weather, 0.0)

level = np.zeros(N_HOURS)
for t in range(LAG, N_HOURS):
    level[t] = 0.8 * level[t - 1] + 0.2 * rain[t - LAG]
hours = np.arange(N_HOURS)
level += 0.2 * np.sin(2 * np.pi * hours / 24) + rng.normal(0, 0.05, N_HOURS)

fig, (ax_rain, ax_level) = plt.subplots(
    2, 1, sharex=True, figsize=(8, 4), layout="constrained"
)
ax_rain.plot(hours[:300], rain[:300], color="tab:blue", label="rainfall")
ax_rain.set_ylabel("rain")
ax_rain.legend(loc="upper right")
ax_level.plot(hours[:300], level[:300], color="tab:brown", label="river level")
ax_level.set_ylabel("level")
ax_level.set_xlabel("hour")
ax_level.legend(loc="upper right")
fig.suptitle("Each burst of rain reaches the river six hours later")

# %%
# Windows over both series
# ------------------------
# Stacked as columns, the two series form an array of shape (n_time, 2).
# ``make_windows`` cuts it into 3-D windows of 24 hours and both features;
# ``target=0`` says that the next value of the first column, the level, is
# to be forecast. The level alone gives 2-D windows, one feature. The first
# 80% of the windows train, the last 20% test.
WINDOW = 24
series = np.column_stack([level, rain])
X_both, y = make_windows(series, WINDOW, target=0)
X_level, y_level = make_windows(level, WINDOW)
print(f"level and rain: X {X_both.shape}, y {y.shape}")
print(f"level only:     X {X_level.shape}, y {y_level.shape}")

split = int(0.8 * len(y))
y_train, y_test = y[:split], y[split:]

# %%
# Two models, one architecture
# ----------------------------
# The same small network, one GRU layer of 32 units, is trained on each input.
# Only the number of features per step differs: the estimator reads it from
# the shape of ``X``.
predictions = {}
for name, X in [("level only", X_level), ("level and rain", X_both)]:
    reg = GRUSequenceRegressor(units=32, n_layers=1, epochs=EPOCHS, random_state=0)
    reg.fit(X[:split], y_train)
    predictions[name] = reg.predict(X[split:])
    print(f"{name}: input shape per sample {reg.input_shape_}")

# %%
# Test errors
# -----------
# The naive forecast repeats the last level. The level's own past cannot tell
# when the next burst of rain arrives; the rain six hours ahead of the river
# can, and the measurement noise, variance 0.0025, is all that is left.
mse = {"naive (last level)": mean_squared_error(y_test, X_level[split:, -1])}
for name, y_pred in predictions.items():
    mse[f"GRU, {name}"] = mean_squared_error(y_test, y_pred)
for name, value in mse.items():
    print(f"test MSE, {name:<22} {value:.5f}")

fig, ax = plt.subplots(layout="constrained")
ax.bar(list(mse), list(mse.values()), color=["tab:gray", "tab:brown", "tab:blue"])
ax.axhline(0.05**2, color="black", linestyle="--", label="measurement noise")
ax.set_yscale("log")
ax.set_ylabel("test mean squared error")
ax.set_title("Next-hour river level")
ax.legend()

# %%
# Forecasts against the actual level
# ----------------------------------
# Over 120 test hours, the model that sees the rain rises with the river;
# the one that sees the level only follows a step behind. Window ``i`` ends at
# hour ``i + 23``; its target is hour ``i + 24``.
n_shown = 120
index = np.arange(split, split + n_shown) + WINDOW
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ActualVsPredictedDisplay.from_predictions(
    y_test[:n_shown],
    predictions["level and rain"][:n_shown],
    index=index,
    ax=ax,
    actual_kw={"color": "black", "label": "actual level"},
    predicted_kw={"color": "tab:blue", "label": "GRU, level and rain"},
)
ax.plot(
    index,
    predictions["level only"][:n_shown],
    color="tab:brown",
    linestyle="--",
    label="GRU, level only",
)
ax.set_xlabel("hour")
ax.set_ylabel("river level")
ax.legend()

plt.show()
