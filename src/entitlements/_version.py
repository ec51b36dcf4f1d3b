"""The library's version: one place, read by the package, the build and every answer's stamp."""

__version__ = "0.2.0"
