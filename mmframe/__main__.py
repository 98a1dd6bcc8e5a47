"""``python -m mmframe``: the ``mmframe`` command."""

import sys

from .cli import main

sys.exit(main())
