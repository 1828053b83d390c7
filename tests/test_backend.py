"""Lazy Keras loading and TensorFlow's thread cap."""

import pytest

from skgru._backend import _thread_cap, get_keras


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, None),
        ({"OMP_NUM_THREADS": "1"}, 1),
        ({"SKGRU_NUM_THREADS": "3", "OMP_NUM_THREADS": "1"}, 3),
        ({"SKGRU_NUM_THREADS": "0", "OMP_NUM_THREADS": "2"}, 2),
        ({"SKGRU_NUM_THREADS": "many"}, None),
    ],
)
def test_thread_cap_follows_environment(monkeypatch, env, expected):
    for name in ("SKGRU_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _thread_cap() == expected


def test_get_keras_returns_the_tensorflow_backend_once():
    keras = get_keras()
    assert keras.backend.backend() == "tensorflow"
    assert get_keras() is keras


def test_tensorflow_threads_capped_in_a_fresh_process():
    import os
    import subprocess
    import sys

    code = (
        "from skgru._backend import get_keras\n"
        "get_keras()\n"
        "import tensorflow as tf\n"
        "print(tf.config.threading.get_intra_op_parallelism_threads(),"
        " tf.config.threading.get_inter_op_parallelism_threads())\n"
    )
    env = dict(os.environ, SKGRU_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["1", "1"]
