"""The codebook's texts in a pseudonymised .qdpx: examples are often quotes that name people.

Before, `export qdpx --pseudonymise` wrote a code's description, criteria and examples as
the codebook has them ("Marieke Jansen zegt: ..."), in the file's codebook and in the YAML
it carries along. Now the key's names in them are replaced, and the YAML is left out when
they named someone (the file's codebook carries the texts).
"""

from __future__ import annotations

import zipfile

from pseudo_support import CODEBOOK
from test_pseudonymise_export_names import ORIGINALS, accept_all, root, run  # noqa: F401  # a fixture

NAMED = CODEBOOK.replace(
    "    name: Vertrouwen\n",
    "    name: Vertrouwen\n"
    "    description: Zoals Marieke Jansen het zegt.\n"
    "    include: [Jan de Vries helpt haar]\n"
    '    examples: ["In Den Haag vertrouw ik alleen Marieke"]\n',
)


def _members(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


def test_qdpx_pseudonymised_replaces_the_names_in_the_codebooks_texts(root, tmp_path):  # noqa: F811
    (root / "codebooks" / "codebook.yaml").write_text(NAMED, encoding="utf-8")
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    target = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 0, r.output
    members = _members(target)
    assert not any(ORIGINALS.search(text) for text in members.values())
    qde = members["project.qde"]
    assert "Zoals [persoon" in qde and "vertrouw ik alleen [persoon" in qde  # the texts are there
    assert not any(n.endswith(".yaml") for n in members)
    assert "the codebook's texts name people" in r.output
    # Without --pseudonymise the codebook is the researcher's, YAML included.
    plain = tmp_path / "plain.qdpx"
    assert run(root, "export", "qdpx", "-o", str(plain)).exit_code == 0
    assert "Marieke Jansen" in _members(plain)["project.qde"]


def test_qdpx_pseudonymised_keeps_the_yaml_of_a_codebook_that_names_no_one(root, tmp_path):  # noqa: F811
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    target = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 0, r.output
    assert any(n.endswith("codebook.yaml") for n in _members(target))
    assert "the codebook's texts name people" not in r.output
