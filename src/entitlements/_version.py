"""The library's version: one place, read by the package, the build and every answer's stamp."""

__version__ = "0.2.0"
"""The library's version, as the build and every stamp read it.

Examples:
    >>> ent.__version__ == engine.stamp.library
    True
"""
