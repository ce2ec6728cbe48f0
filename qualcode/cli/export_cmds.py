"""`qualcode export ...`: coded data out of the project."""

from __future__ import annotations

from .base import main


@main.group()
def export() -> None:
    """Export coded data (segments as CSV, whole projects as REFI-QDA .qdpx)."""
