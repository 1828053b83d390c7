"""
=========================================
Tuning units and dropout with grid search
=========================================

:class:`~skgru.GRUSequenceRegressor` is a scikit-learn estimator, so
:class:`~sklearn.model_selection.GridSearchCV` tunes it like any other. This
example searches the number of GRU units and the dropout rate on a short
stretch of the tutorial series, with
:class:`~sklearn.model_selection.TimeSeriesSplit` so that every validation
fold lies after the data it was trained on. You will see the cross-validated
error of each setting as a table and a plot, and the test error of the best
one on data the search never saw.
"""

import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skgru import GRUSequenceRegressor, make_tutorial_series, make_windows

# Number of training epochs of each fit. The test suite sets the environment
# variable SKGRU_EXAMPLE_EPOCHS=1 to run every example in seconds; the default
# of 15 takes about two minutes on two CPU cores for the 13 fits below.
EPOCHS = int(os.environ.get("SKGRU_EXAMPLE_EPOCHS", "15"))

# %%
# A short series and a held-out tail
# ----------------------------------
# 1,500 points of the tutorial series, cut into windows of 16 values with the
# next value as target. The last 20% of the windows are kept aside as a test
# set; the search only sees the first 80%.
series = make_tutorial_series(1_500, random_state=0)
X, y = make_windows(series, 16)
split = int(0.8 * len(X))
X_train, X_test = X[:split], X[split:]
y_train, y_test = y[:split], y[split:]
print(f"search on {len(X_train)} windows, test on {len(X_test)}")

# %%
# The search
# ----------
# Three chronological folds: each trains on the windows before its validation
# block. No :class:`~sklearn.pipeline.Pipeline` is needed for scaling: with
# ``standardize=True`` (the default) the estimator learns the mean and scale
# of inputs and targets inside each ``fit``, on the training fold only. The
# dropout rate applies between the two GRU layers. A few epochs leave the
# loss still falling; the ``ConvergenceWarning`` each of the 13 fits would
# raise is silenced for the search only.
param_grid = {"units": [16, 64], "dropout": [0.0, 0.3]}
search = GridSearchCV(
    GRUSequenceRegressor(epochs=EPOCHS, random_state=0),
    param_grid,
    cv=TimeSeriesSplit(n_splits=3),
    scoring="neg_mean_squared_error",
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=ConvergenceWarning)
    search.fit(X_train, y_train)

# %%
# The results as a table
# ----------------------
# ``cv_results_`` holds the score of every setting on every fold. The scorer
# returns the negated MSE, as scikit-learn scorers grow with quality; the table
# turns it back into an error.
results = search.cv_results_
cv_mse = -results["mean_test_score"]
cv_std = results["std_test_score"]
print(f"{'units':>5} {'dropout':>7} {'CV MSE':>8} {'std':>8} {'fit s':>6} {'rank':>4}")
for params, mean, std, fit_time, rank in zip(
    results["params"],
    cv_mse,
    cv_std,
    results["mean_fit_time"],
    results["rank_test_score"],
):
    print(
        f"{params['units']:>5} {params['dropout']:>7} {mean:>8.5f} {std:>8.5f} "
        f"{fit_time:>6.1f} {rank:>4}"
    )

# %%
# The results as a plot
# ---------------------
# One line per dropout rate; the bars show the standard deviation over the
# three folds, the first of which trains on a quarter of the windows only.
fig, ax = plt.subplots(layout="constrained")
for dropout in param_grid["dropout"]:
    rows = np.flatnonzero(results["param_dropout"] == dropout)
    ax.errorbar(
        results["param_units"][rows].astype(int),
        cv_mse[rows],
        yerr=cv_std[rows],
        marker="o",
        capsize=4,
        label=f"dropout={dropout}",
    )
ax.set_xlabel("GRU units per layer")
ax.set_ylabel("cross-validated MSE")
ax.set_xticks(param_grid["units"])
ax.set_title("Grid search with TimeSeriesSplit(n_splits=3)")
ax.legend()

# %%
# The best setting on the held-out tail
# -------------------------------------
# ``GridSearchCV`` refits the best setting on all the training windows; its
# error on the test windows is an honest estimate, since the search never saw
# them. The noise of the series puts a floor of 0.00333 under any forecast.
y_pred = search.predict(X_test)
print(f"best parameters: {search.best_params_}")
print(f"test MSE of the best setting: {mean_squared_error(y_test, y_pred):.5f}")

fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
ax.plot(np.arange(len(y_test)), y_test, label="actual")
ax.plot(np.arange(len(y_test)), y_pred, label="predicted by the best setting")
ax.set_xlabel("test window")
ax.set_ylabel("next value")
ax.legend()

plt.show()
