"""Ingest: transcript files in, :class:`~qualcode.model.Transcript` objects out.

Pure core: no textual, rich, click or spaCy. python-docx is imported only when
a .docx is read.

Modules, one concern each:

* :mod:`.decode` -- bytes to text (BOMs, strict UTF-8, binary sniffing), normalisation
* :mod:`.labels` -- what a speaker label and a timestamp look like
* :mod:`.turns` -- splitting plain text into speaker turns (the rule is documented there)
* :mod:`.frontmatter` -- YAML front matter as case attributes
* :mod:`.plaintext`, :mod:`.word`, :mod:`.subtitles` -- one reader per format
* :mod:`.attributes` -- the ``attributes.csv`` sidecar
* :mod:`.paths` -- expanding import arguments, reading files
* :mod:`.reader` -- :func:`read_transcript`, dispatching on the suffix
"""

from qualcode.ingest.attributes import lookup_attributes, read_attributes_csv
from qualcode.ingest.decode import check_encoding, decode, normalise
from qualcode.ingest.frontmatter import split_front_matter
from qualcode.ingest.paths import SIDECARS, SUPPORTED_SUFFIXES, expand_paths
from qualcode.ingest.reader import read_transcript
from qualcode.ingest.turns import TurnScan, parse_turns, scan_turns

__all__ = [
    "SIDECARS",
    "SUPPORTED_SUFFIXES",
    "TurnScan",
    "check_encoding",
    "decode",
    "expand_paths",
    "lookup_attributes",
    "normalise",
    "parse_turns",
    "read_attributes_csv",
    "read_transcript",
    "scan_turns",
    "split_front_matter",
]
