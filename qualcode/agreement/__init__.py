"""Inter-coder agreement: coefficients, units, and the study over a project's codings.

Pure core (no textual, rich or click; no numpy): percent agreement, Cohen's kappa,
Krippendorff's alpha (nominal, missing data allowed) and MAXQDA's segment
criterion with Brennan & Prediger's kappa. Long texts are handled run-length
(:mod:`qualcode.agreement.runs`), never as a per-character table.
"""

from __future__ import annotations

from .coefficients import (
    brennan_prediger,
    cohen_kappa,
    krippendorff_alpha,
    pairable_units,
    patterns_of,
    percent_agreement,
)
from .segments import SegmentCount, overlap_share
from .study import DEFAULT_OVERLAP, Agreement, CodedSpan, Document, Row, compute
from .units import CHARACTER, SEGMENT, SENTENCE, TURN, UNITS, document_units

__all__ = [
    "CHARACTER",
    "DEFAULT_OVERLAP",
    "SEGMENT",
    "SENTENCE",
    "TURN",
    "UNITS",
    "Agreement",
    "CodedSpan",
    "Document",
    "Row",
    "SegmentCount",
    "brennan_prediger",
    "cohen_kappa",
    "compute",
    "document_units",
    "krippendorff_alpha",
    "overlap_share",
    "pairable_units",
    "patterns_of",
    "percent_agreement",
]
