"""The source's DOCUMENTATION says what the code does, and the docsite guide's option table says what DOCUMENTATION
says (ansible-doc and antsibull-docs do not read EDA sources, so the guide is where the docsite shows them)."""

import ast
import re
from pathlib import Path

import yaml

from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_events import SOURCE_OPTIONS

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "extensions" / "eda" / "plugins" / "event_source" / "import_events.py"
GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_eda.rst"


def documentation():
    for node in ast.parse(SOURCE.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError("no DOCUMENTATION in " + str(SOURCE))


def guide_table():
    """{option: default cell} from the guide's option table."""
    text = GUIDE.read_text().split("The source's options", 1)[1].split("\n\n\n", 1)[0]
    return dict(re.findall(r"^  \* - ``(\w+)``\n    - (.+)$", text, re.MULTILINE))


def test_documentation_names_every_option_with_the_code_s_default_and_environment_variable():
    options = documentation()["options"]
    assert list(options) == [name for name, dummy, dummy2 in SOURCE_OPTIONS]
    for name, variable, default in SOURCE_OPTIONS:
        doc = options[name]
        assert doc.get("default") == default or (default is None and "default" not in doc), name
        if variable:
            assert "E({0})".format(variable) in " ".join(doc["description"]), name
    assert options["pa_url"]["required"] and options["pa_token"]["required"]


def test_the_guide_lists_every_option_with_its_default():
    options = documentation()["options"]
    table = guide_table()
    assert list(table) == list(options)
    for name, doc in options.items():
        if "default" in doc:
            assert table[name] == "``{0}``".format(str(doc["default"]).lower() if isinstance(doc["default"], bool)
                                                   else doc["default"]), name
