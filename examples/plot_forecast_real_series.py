"""
===============================================
Multi-step forecasts of a recorded neuron trace
===============================================

Two ways to forecast many steps ahead with
:class:`~skgru.GRUSequenceRegressor`, on a real recording: the membrane
potential of a spiking neuron shipped with matplotlib. The recursive forecast
trains a next-step model and feeds each prediction back as input with
:meth:`~skgru.GRUSequenceRegressor.forecast`; the direct forecast trains one
model that outputs all the future steps at once, from windows cut with
``make_windows(..., horizon=H)``. You will see both forecasts drawn against
the actual continuation of the trace, and their errors by lead time over the
whole test period, next to a naive forecast.
"""

import os

import matplotlib.pyplot as plt
import numpy as np

from skgru import GRUSequenceRegressor, load_sample_series, make_windows

# Number of training epochs of each model. The test suite sets the environment
# variable SKGRU_EXAMPLE_EPOCHS=1 to run every example in seconds; the default
# of 20 takes about two minutes on two CPU cores.
EPOCHS = int(os.environ.get("SKGRU_EXAMPLE_EPOCHS", "20"))

# %%
# The recording
# -------------
# ``load_sample_series("membrane")`` returns 12,000 samples of the membrane
# potential. We keep the stretch where the neuron fires, samples 1,500 to
# 10,900, and every second sample of it: a spike still spans a few samples and
# the windows can cover most of the interval between two spikes. The first 75%
# train, the rest tests.
recording = load_sample_series("membrane")
series = recording[1_500:10_900:2]
split = int(0.75 * len(series))
train, test = series[:split], series[split:]

fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ax.plot(np.arange(split), train, label="training part")
ax.plot(np.arange(split, len(series)), test, label="test part")
ax.set_xlabel("sample (every second one of the recording)")
ax.set_ylabel("membrane potential")
fig.legend(loc="outside upper center", ncols=2)

# %%
# Two forecasters
# ---------------
# Both read windows of 48 samples and look 24 samples ahead. The recursive
# one learns the next sample only, the direct one the next 24 at once: its
# ``y`` has 24 columns, and the network's output layer 24 units.
WINDOW, HORIZON = 48, 24
params = {"units": 32, "n_layers": 1, "epochs": EPOCHS, "random_state": 0}

X_next, y_next = make_windows(train, WINDOW)
recursive = GRUSequenceRegressor(**params).fit(X_next, y_next)

X_multi, y_multi = make_windows(train, WINDOW, horizon=HORIZON)
direct = GRUSequenceRegressor(**params).fit(X_multi, y_multi)
print(f"recursive: y {y_next.shape}, direct: y {y_multi.shape}")

# %%
# Forecasts from two starting points
# ----------------------------------
# ``forecast(history, steps)`` seeds the recursion with the last 48 values of
# ``history``; ``predict`` on the same window returns the direct model's 24
# values. From the first starting point a spike follows within 24 samples,
# from the second none does.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True, layout="constrained")
for ax, origin in zip(axes, [225, 700]):
    history = test[origin - WINDOW : origin]
    actual = test[origin : origin + HORIZON]
    past = np.arange(origin - WINDOW, origin)
    future = np.arange(origin, origin + HORIZON)
    ax.plot(past, history, color="gray", label="history")
    ax.plot(future, actual, color="black", label="actual")
    ax.plot(future, recursive.forecast(history, HORIZON), label="recursive")
    ax.plot(future, direct.predict(history[np.newaxis])[0], label="direct")
    ax.set_xlabel("test sample")
    ax.set_title(f"forecast from test sample {origin}")
axes[0].set_ylabel("membrane potential")
axes[0].legend(loc="upper left")

# %%
# Errors by lead time
# -------------------
# Every 6th test window gives a starting point. For each we forecast the next
# 24 samples both ways and measure the root mean squared error at each lead
# time. The naive forecast repeats the last value seen. Recursive errors feed
# on themselves as the forecast runs; the direct model has to learn each lead
# time separately, from the same data. Here the recursive forecast is the
# better one for the first few samples, the direct one further ahead.
X_test, y_test = make_windows(test, WINDOW, horizon=HORIZON, stride=6)
recursive_pred = np.array([recursive.forecast(x, HORIZON) for x in X_test])
direct_pred = direct.predict(X_test)
naive_pred = np.repeat(X_test[:, -1:], HORIZON, axis=1)

lead = np.arange(1, HORIZON + 1)
fig, ax = plt.subplots(layout="constrained")
for name, y_pred in [
    ("naive (last value)", naive_pred),
    ("recursive", recursive_pred),
    ("direct", direct_pred),
]:
    rmse = np.sqrt(((y_test - y_pred) ** 2).mean(axis=0))
    ax.plot(lead, rmse, marker=".", label=name)
    print(
        f"{name:<19} RMSE at lead 1: {rmse[0]:.4f}, lead {HORIZON}: "
        f"{rmse[-1]:.4f}, mean: {rmse.mean():.4f}"
    )
ax.set_xlabel("lead time (samples ahead)")
ax.set_ylabel("test RMSE")
ax.set_title(f"{len(X_test)} forecasts over the test part")
ax.legend()

plt.show()
