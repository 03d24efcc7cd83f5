"""``python -m generator`` is the same program as ``pvegen``."""

from .cli import main

raise SystemExit(main())
