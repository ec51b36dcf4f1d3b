"""Catalog test suites: cases an author writes about a catalog, run against an engine, with coverage."""
