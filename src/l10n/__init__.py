"""l10n: localize Markdown publications through gettext catalogs."""

__version__ = "0.1.0"
