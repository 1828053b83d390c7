"""Lazy, quiet loading of Keras and TensorFlow, with a thread cap."""

import contextlib
import os
import random
import sys

_KERAS = None


@contextlib.contextmanager
def _quiet_stderr():
    """Silence file descriptor 2 for the duration of the block.

    TensorFlow's C++ runtime writes start-up notices (oneDNN, CPU features)
    straight to the stderr file descriptor, out of Python's reach; a library
    must not print when ``verbose=0``.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real descriptor (some notebooks)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _thread_cap():
    """Number of threads TensorFlow may use, or None to let it decide.

    ``SKGRU_NUM_THREADS`` wins; otherwise ``OMP_NUM_THREADS``, which joblib's
    workers receive as ``cpu_count // n_jobs``, so that a parallel grid search
    does not start ``n_jobs`` full thread pools.
    """
    for name in ("SKGRU_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def get_keras():
    """Import Keras on the TensorFlow backend once, quietly, and return it."""
    global _KERAS
    if _KERAS is not None:
        return _KERAS

    if "keras" not in sys.modules:
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    saved_level = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = saved_level or "2"
    # Importing TensorFlow draws from Python's global random generator: the
    # caller's sequence must not depend on whether skgru loaded it.
    python_state = random.getstate()
    try:
        with _quiet_stderr():
            import keras
            import tensorflow as tf
    finally:
        random.setstate(python_state)
        if saved_level is None:
            os.environ.pop("TF_CPP_MIN_LOG_LEVEL", None)

    if keras.backend.backend() != "tensorflow":
        raise ImportError(
            "skgru needs Keras on the TensorFlow backend; Keras was loaded with "
            f"the {keras.backend.backend()!r} backend. Set the environment "
            "variable KERAS_BACKEND=tensorflow before importing Keras."
        )

    n_threads = _thread_cap()
    if n_threads is not None:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(n_threads)
            tf.config.threading.set_inter_op_parallelism_threads(n_threads)
        except RuntimeError:
            pass  # TensorFlow was initialised by the caller before us.

    _KERAS = keras
    return keras
