"""Unit page sections of the scoring app (being written by the scores helper)."""


def register() -> None:
    """Register the grade sections of the staff and operator unit pages (units.extensions)."""
