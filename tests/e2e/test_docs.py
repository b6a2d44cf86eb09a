"""The AWX guide shipped in docs/docsite/ shows the credential type that awx/credential_type.yml defines."""

import re
import textwrap

import yaml

from pa_testlib import REPO

GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_awx.rst"


def yaml_blocks_after(text, caption):
    """The YAML code blocks whose paragraph just before is `caption`."""
    pattern = re.escape(caption) + r"\n\n(?:\.\. example: .*\n\n)?\.\. code-block:: yaml\n\n((?:  .*\n|\n)+)"
    return [yaml.safe_load(textwrap.dedent(block)) for block in re.findall(pattern, text)]


def test_awx_guide_shows_the_credential_type_inputs_and_injectors():
    credential_type = yaml.safe_load((REPO / "awx" / "credential_type.yml").read_text())
    guide = GUIDE.read_text()
    assert yaml_blocks_after(guide, "Input configuration:") == [credential_type["inputs"]]
    assert yaml_blocks_after(guide, "Injector configuration:") == [credential_type["injectors"]]
    assert credential_type["name"] in guide


def test_awx_guide_is_listed_in_the_docsite_index():
    index = yaml.safe_load((REPO / "docs" / "docsite" / "extra-docs.yml").read_text())
    entries = [entry for section in index["sections"] for entry in section["toctree"]]
    assert GUIDE.stem in entries
