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

from importlib import import_module
from typing import TYPE_CHECKING

# At once: ``decode`` names both a module and its function, and the function must win.
from qualcode.ingest.decode import check_encoding, decode, normalise

if TYPE_CHECKING:
    from qualcode.ingest.attributes import lookup_attributes, read_attributes_csv
    from qualcode.ingest.frontmatter import split_front_matter
    from qualcode.ingest.paths import SIDECARS, SUPPORTED_SUFFIXES, expand_paths
    from qualcode.ingest.reader import read_transcript
    from qualcode.ingest.turns import TurnScan, parse_turns, scan_turns

# The rest from the module that defines it, on first use: opening a project imports
# ``ingest.decode`` (the codebook reads with it), and loading every reader with it cost
# a fifth of the start-up of a command that reads no transcript.
_HOMES = {
    "lookup_attributes": "attributes",
    "read_attributes_csv": "attributes",
    "split_front_matter": "frontmatter",
    "SIDECARS": "paths",
    "SUPPORTED_SUFFIXES": "paths",
    "expand_paths": "paths",
    "read_transcript": "reader",
    "TurnScan": "turns",
    "parse_turns": "turns",
    "scan_turns": "turns",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
