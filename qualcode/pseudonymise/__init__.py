"""Pseudonymisation of Dutch transcripts: detect personal data, review it, replace it.

Pure core (no textual, rich or click). deduce is imported only by :mod:`.engine`,
inside :func:`engine.load`, which is slow the first time on a machine (the lookup
tables are built once into the user cache) and takes seconds afterwards: call it
from a worker thread.
"""

from __future__ import annotations

from .categories import CATEGORIES, Candidate
from .detect import DetectionContext, Detector, detect

__all__ = ["CATEGORIES", "Candidate", "DetectionContext", "Detector", "detect"]
