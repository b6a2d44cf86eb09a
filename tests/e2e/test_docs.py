"""The README in the certified-collection shape, with links that work away from the repository (Galaxy and Automation
Hub render it from the tarball); the docsite guides all listed; the AWX guide shows awx/credential_type.yml's type."""

import re
import textwrap

import yaml

from pa_testlib import REPO

GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_awx.rst"
README = REPO / "README.md"
GALAXY = yaml.safe_load((REPO / "galaxy.yml").read_text())
REPOSITORY = GALAXY["repository"]
# Red Hat's partner-certification README template, in its order.
README_SECTIONS = ["Description", "Requirements", "Installation", "Use Cases", "Testing", "Contributing", "Support",
                   "Release Notes and Roadmap", "Related Information", "License Information"]


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


def test_every_guide_is_listed_in_the_docsite_index():
    index = yaml.safe_load((REPO / "docs" / "docsite" / "extra-docs.yml").read_text())
    entries = [entry for section in index["sections"] for entry in section["toctree"]]
    guides = sorted(path.stem for path in (REPO / "docs" / "docsite" / "rst").glob("*.rst"))
    assert GUIDE.stem in guides
    assert sorted(entries) == guides


def anchors(markdown):
    """GitHub's anchors for the headings of a Markdown text: lower case, punctuation dropped, spaces to hyphens."""
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)}


def test_readme_has_the_certified_sections_in_order_in_300_lines():
    text = README.read_text()
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == README_SECTIONS
    assert len(text.splitlines()) <= 300


def test_readme_links_are_full_urls_or_anchors_that_exist():
    text = README.read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text)
    assert links, "no links found"
    for link in links:
        if link.startswith("#"):
            assert link[1:] in anchors(text), link
            continue
        assert link.startswith("https://"), "not a full URL (Galaxy renders the README away from the repo): " + link
        if link.startswith(REPOSITORY + "/") and link != GALAXY["issues"]:
            # REPOSITORY/blob/main/PATH[#anchor] or REPOSITORY/tree/main/PATH: a file or folder of this repository.
            match = re.fullmatch(re.escape(REPOSITORY) + r"/(?:(blob)|tree)/main/([^#]+)(?:#(.+))?", link)
            assert match, "a repository link that is neither blob/main nor tree/main: " + link
            path = REPO / match.group(2)
            assert path.is_file() if match.group(1) else path.is_dir(), link
            if match.group(3):
                assert match.group(3) in anchors(path.read_text()), link
