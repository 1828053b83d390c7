"""Building the Keras network and running its forward pass in NumPy."""

import contextlib
import random

import numpy as np

from ._backend import get_keras

# Values per chunk of the NumPy forward pass (about 64 MiB of float64): bounds
# its memory on long inputs while keeping the matrix products large.
_CHUNK_VALUES = 2**23


def build_network(
    input_shape,
    n_outputs,
    *,
    units,
    n_layers,
    dropout,
    recurrent_dropout,
    return_sequences,
):
    """Stacked GRU layers with dropout between them and a dense head.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_timesteps, n_features)`` of one sample.

    n_outputs : int
        Units of the dense head.

    units, n_layers, dropout, recurrent_dropout, return_sequences
        As in :class:`~skgru.GRUSequenceRegressor`.

    Returns
    -------
    model : keras.Sequential
        The uncompiled network.
    """
    keras = get_keras()
    layers = [keras.Input(shape=input_shape)]
    for i in range(n_layers):
        last = i == n_layers - 1
        layers.append(
            keras.layers.GRU(
                units,
                return_sequences=return_sequences or not last,
                recurrent_dropout=recurrent_dropout,
                name=f"gru_{i}",
            )
        )
        if not last and dropout > 0:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout_{i}"))
    layers.append(keras.layers.Dense(n_outputs, name="head"))
    return keras.Sequential(layers, name="skgru")


@contextlib.contextmanager
def seeded(seed):
    """Seed Keras and TensorFlow, leaving NumPy's and Python's global RNG as found.

    ``keras.utils.set_random_seed`` also reseeds ``random`` and
    ``numpy.random``; their states are saved before and restored after, so a
    fit with a fixed ``random_state`` has no effect on the caller's draws.
    """
    keras = get_keras()
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    try:
        keras.utils.set_random_seed(seed)
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


def extract_weights(model):
    """The network's weights as float64 arrays, for :func:`forward`.

    Returns
    -------
    weights : dict
        ``"gru"``: a list of ``(kernel, recurrent_kernel, bias)`` per GRU
        layer, ``"head"``: ``(kernel, bias)`` of the dense head.
    """
    grus, head = [], None
    for layer in model.layers:
        arrays = [np.asarray(w, dtype=np.float64) for w in layer.get_weights()]
        if layer.name.startswith("gru_"):
            grus.append(tuple(arrays))
        elif layer.name == "head":
            head = tuple(arrays)
    return {"gru": grus, "head": head}


def _sigmoid(x):
    """Logistic function, in place; tanh form, which cannot overflow."""
    x *= 0.5
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5
    return x


def _gru_layer(X, kernel, recurrent_kernel, bias, return_sequences):
    """One GRU layer (Keras' ``reset_after=True`` form) over ``X``."""
    n_samples, n_timesteps, _ = X.shape
    units = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = bias

    # The input projection of every step at once: one large matrix product.
    projected = X @ kernel
    projected += input_bias
    h = np.zeros((n_samples, units))
    outputs = np.empty((n_samples, n_timesteps, units)) if return_sequences else None

    for t in range(n_timesteps):
        x = projected[:, t]
        inner = h @ recurrent_kernel
        inner += recurrent_bias
        gates = _sigmoid(x[:, : 2 * units] + inner[:, : 2 * units])
        z, r = gates[:, :units], gates[:, units:]
        candidate = r * inner[:, 2 * units :]
        candidate += x[:, 2 * units :]
        np.tanh(candidate, out=candidate)
        # h = z * h + (1 - z) * candidate
        h -= candidate
        h *= z
        h += candidate
        if return_sequences:
            outputs[:, t] = h
    return outputs if return_sequences else h


def forward(weights, X, return_sequences):
    """Inference pass of the network in float64 NumPy.

    Each sample is computed on its own, so a prediction never depends on the
    other rows of the batch, and small inputs avoid TensorFlow's per-call
    overhead.

    Parameters
    ----------
    weights : dict
        From :func:`extract_weights`.

    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Scaled inputs.

    return_sequences : bool
        Whether the head is applied at every step or only the last.

    Returns
    -------
    y : ndarray of shape (n_samples, n_outputs) or \
            (n_samples, n_timesteps, n_outputs)
    """
    head_kernel, head_bias = weights["head"]
    n_layers = len(weights["gru"])
    widest = max(kernel.shape[1] for kernel, _, _ in weights["gru"])
    chunk_rows = max(1, _CHUNK_VALUES // (X.shape[1] * widest))
    chunks = []
    for start in range(0, X.shape[0], chunk_rows):
        h = np.asarray(X[start : start + chunk_rows], dtype=np.float64)
        for i, (kernel, recurrent_kernel, bias) in enumerate(weights["gru"]):
            keep_sequence = return_sequences or i < n_layers - 1
            h = _gru_layer(h, kernel, recurrent_kernel, bias, keep_sequence)
        chunks.append(h @ head_kernel + head_bias)
    if not chunks:
        return np.empty((0, head_bias.shape[0]))
    return np.concatenate(chunks, axis=0)


def keras_numpy(variable):
    """A Keras variable's value as a NumPy array."""
    return get_keras().ops.convert_to_numpy(variable)
