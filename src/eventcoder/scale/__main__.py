"""``python -m eventcoder.scale batch|ingest|watch ...``."""

import sys

from . import _main

sys.exit(_main())
