"""Localized editions: which text each segment gets, and the output formats."""
