"""``python -m tools.sample_data``: see :mod:`tools.sample_data.cli`."""

import sys

from tools.sample_data.cli import main

sys.exit(main())
