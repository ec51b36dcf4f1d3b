"""``python -m entitlements``: the same as the ``entitlements`` command."""

from ._cli import run

run()
