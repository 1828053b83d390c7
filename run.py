"""The two commands of the README, on a fresh machine with only Python 3.10+.

    python3 run.py demo   # the tutorial demo and a forecast of a real series
    python3 run.py test   # the test suite

Each creates ``.venv`` beside this file on first use and installs skgru into
it (with the ``test`` extra for ``test``); later runs reuse it and reinstall
only when ``pyproject.toml`` changes. Extra arguments go to the command run:
``python3 run.py test -k windows``, ``python3 run.py demo --long``.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment(extra):
    """Create the virtual environment and install skgru[extra] when needed."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".skgru-installed-{extra or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        print(f"run.py: creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    target = f"{ROOT}[{extra}]" if extra else str(ROOT)
    print(f"run.py: installing skgru ({extra or 'base'}) into {VENV}", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-e", target], check=True)
    stamp.write_text(digest)


def main(argv):
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__.strip())
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment("test" if command == "test" else "")
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)
    skgru = [str(PYTHON), "-m", "skgru"]
    out = ROOT / "skgru-output"
    code = subprocess.call(
        skgru + ["demo", "--out", str(out / "tutorial"), *rest], cwd=ROOT
    )
    if code == 0:
        forecast = ["forecast", "--sample", "membrane", "--out", str(out / "membrane")]
        code = subprocess.call(skgru + forecast, cwd=ROOT)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
