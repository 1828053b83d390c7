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


# Compiled networks no estimator owns any more, by signature. Every new Keras
# network traces new TensorFlow functions, whose memory TensorFlow never gives
# back (about 25 MiB a fit here): reusing a compiled network keeps memory flat
# over a long grid search and skips the tracing, which dominates small fits.
_IDLE_NETWORKS = {}


class Network:
    """A compiled Keras network that can be reset and trained again.

    Parameters
    ----------
    signature : tuple
        ``(input_shape, n_outputs, units, n_layers, dropout,
        recurrent_dropout, return_sequences, optimizer, loss)``: everything
        that fixes the traced training step.
    """

    def __init__(self, signature):
        keras = get_keras()
        self.signature = signature
        n_outputs, optimizer, loss = signature[1], signature[-2], signature[-1]
        # Initial values come from reset(); this draw must not touch the
        # caller's random state.
        with seeded(0):
            self.model = self._build()
        # Scale of each output, for the loss in the units of the data; kept
        # outside the model so that it is not one of its weights.
        self.y_scale = keras.Variable(
            np.ones(n_outputs, dtype=np.float32), trainable=False, name="y_scale"
        )
        optimizers = {
            "adam": keras.optimizers.Adam,
            "rmsprop": keras.optimizers.RMSprop,
            "sgd": keras.optimizers.SGD,
        }
        losses = {
            "mse": keras.losses.mean_squared_error,
            "mae": keras.losses.mean_absolute_error,
            "huber": keras.losses.huber,
        }
        base_loss, y_scale = losses[loss], self.y_scale

        def data_loss(y_true, y_pred):
            # float64: the loss of huge targets overflows float32 once unscaled.
            scale = keras.ops.cast(y_scale, "float64")
            y_true = keras.ops.cast(y_true, "float64") * scale
            return base_loss(y_true, keras.ops.cast(y_pred, "float64") * scale)

        metric = keras.metrics.MeanMetricWrapper(data_loss, "data_loss", "float64")
        self.model.compile(
            optimizer=optimizers[optimizer](),
            loss=base_loss,
            weighted_metrics=[metric],
            jit_compile=False,  # XLA trains GRUs slower on CPU.
        )
        self.model.optimizer.build(self.model.trainable_variables)
        self._initial_optimizer = self.optimizer_state()

    def reset(self, learning_rate):
        """Fresh weights, seeds and optimizer state, as a new network would have.

        Call inside :func:`seeded`: the values come from building the same
        network again with the current seed.
        """
        fresh = self._build()
        for variable, value in zip(self.model.variables, fresh.variables):
            variable.assign(value.value)
        self.set_optimizer_state(self._initial_optimizer)
        self.model.optimizer.learning_rate.assign(learning_rate)

    def _build(self):
        input_shape, n_outputs, *architecture, _, _ = self.signature
        names = (
            "units",
            "n_layers",
            "dropout",
            "recurrent_dropout",
            "return_sequences",
        )
        return build_network(input_shape, n_outputs, **dict(zip(names, architecture)))

    def optimizer_state(self):
        return [keras_numpy(v) for v in self.model.optimizer.variables]

    def set_optimizer_state(self, values):
        for variable, value in zip(self.model.optimizer.variables, values):
            variable.assign(value)


def acquire_network(signature):
    """An idle network with this signature, or a new one."""
    idle = _IDLE_NETWORKS.get(signature)
    return idle.pop() if idle else Network(signature)


def release_network(network):
    """Give a network no estimator uses any more back for reuse."""
    _IDLE_NETWORKS.setdefault(network.signature, []).append(network)


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


def forward(weights, X, return_sequences, *, dropout=0.0, rng=None):
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

    dropout : float, default=0.0
        With ``rng``, drop this fraction of the outputs of every GRU layer
        but the last, as the network's dropout layers do in training (Monte
        Carlo dropout).

    rng : numpy.random.Generator, default=None
        Source of the dropout masks; None runs the deterministic network.

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
            if rng is not None and dropout > 0 and i < n_layers - 1:
                h *= rng.random(h.shape) >= dropout
                h /= 1.0 - dropout
        chunks.append(h @ head_kernel + head_bias)
    if not chunks:
        return np.empty((0, head_bias.shape[0]))
    return np.concatenate(chunks, axis=0)


def keras_numpy(variable):
    """A Keras variable's value as a NumPy array (a copy)."""
    return variable.numpy()
