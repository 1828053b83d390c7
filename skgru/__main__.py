"""``python -m skgru``: the same as the ``skgru`` command."""

import sys

from ._cli import main

sys.exit(main())
