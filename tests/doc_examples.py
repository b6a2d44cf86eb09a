"""Every example a user can copy, extracted from the file that shows it (there is no second copy), ready to run.

Where examples are found (``SOURCES``; each file listed there must yield at least one example):

- ``plugins/modules/*.py``, ``plugins/lookup/*.py``: the plugin's ``EXAMPLES`` string (read with ``ast``, not
  imported); each top-level list item is one example, a task. A file's examples run in order in one play, so
  ``register``ed results chain.
- ``extensions/eda/plugins/event_source/*.py``: the EDA source's ``EXAMPLES``, read the same way; each item is a
  rulebook's ruleset.
- ``roles/*/README.md``, ``README.md``: fenced blocks ```` ```yaml ```` / ```` ```yml ```` and
  ```` ```sh ```` / ```` ```bash ```` / ```` ```shell ```` / ```` ```console ````.
- ``docs/docsite/rst/*.rst``: ``.. code-block::`` blocks of ``yaml``, ``yaml+jinja``, ``sh``, ``bash``, ``shell`` and
  ``console`` (only the ``$ `` lines of a console block are commands).
- ``roles/*/meta/argument_specs.yml``: an ``examples`` string of an entry point, if any (none today: optional).

A YAML example is a playbook (a list of plays: items with ``hosts`` or ``import_playbook``), run as it is, or a task
list, run inside a play (``hosts: localhost``, ``connection: local``, ``gather_facts: false``), or a rulebook (a list
of rulesets: items with ``sources`` and ``rules``), run by ``ansible-rulebook`` with the installed collection until
its sources have polled the emulator once, then stopped: it passes when it was still running then and logged no
error (a rulebook runs until stopped). Anything else (an AWX form, an execution-environment definition) must carry a
``not-run`` marker. A shell example runs with ``bash``, with the built collection installed, so
``ansible-playbook sycorr.permission_assist.X`` works.

Markers (``MARKER``), read where the example lives: a YAML or shell comment line ``# example: ...`` inside the
example (for a module's examples: inside the item, or the comment lines just above it), in Markdown an HTML comment
``<!-- example: ... -->`` and in RST a comment ``.. example: ...`` as the last thing before the block:

- ``example: not-run (REASON)``: the example cannot run stand-alone (it needs an AWX server, builds an image, ...);
  the reason is required and the test lists every one.
- ``example: after FILE#N[,N...] (REASON)``: the example uses what examples N of FILE (a path from the repository
  root, numbered as this module numbers them) register; they run first, as set-up (checked in their own file).
- ``example: extra-vars {JSON} (REASON)``: the example is run with these extra vars (``-e``), e.g. what an AWX
  survey answers for a playbook that a job template runs.

Placeholders (``PLACEHOLDERS``, the one place where the documentation's stand-ins are replaced, textually, before an
example runs): the documented server ``https://pa.example.com`` becomes the emulator's URL; ``{{ vault_pa_token }}``
and the shell stand-in ``PA_TOKEN=...`` become its token; the sample import id of the module docs
(``5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57``) becomes an import the runner stages first (for the application
``Risk Engine``, whose builds run until canceled); ``/var/tmp/`` becomes the run's own temporary directory. An
example that names the server or the token itself runs with ``PA_URL``/``PA_TOKEN`` pointing nowhere, so it is its
own connection settings (``module_defaults``, ``export``) that are tested, not the runner's environment.

``python tests/doc_examples.py`` prints every example found, per file, and what the markers say.
"""

import ast
import json
import re
import sys
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# (glob from the repository root, must every matching file yield at least one example?)
SOURCES = [
    ("plugins/modules/*.py", True),
    ("plugins/lookup/*.py", True),
    ("extensions/eda/plugins/event_source/*.py", True),
    ("roles/*/README.md", True),
    ("roles/*/meta/argument_specs.yml", False),
    ("README.md", True),
    ("docs/docsite/rst/*.rst", True),
]

PLACEHOLDER_IMPORT_ID = "5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"
# (text in the documentation, key of the value that replaces it; see the module docstring)
PLACEHOLDERS = [
    ("https://pa.example.com", "pa_url"),
    ("{{ vault_pa_token }}", "pa_token"),
    ("PA_TOKEN=...", "PA_TOKEN={pa_token}"),
    (PLACEHOLDER_IMPORT_ID, "import_id"),
    ("/var/tmp/", "{workdir}/"),
]
# Placeholders that mean "this example sets its own connection".
OWN_CONNECTION = ("https://pa.example.com", "{{ vault_pa_token }}", "PA_TOKEN=...")
# The application whose import stands in for the sample import id.
PLACEHOLDER_IMPORT_APPLICATION = "Risk Engine"

MARKER = re.compile(r"^\s*(?:#|<!--|\.\.)\s*example:\s*(?P<kind>not-run|after|extra-vars)\b\s*"
                    r"(?P<rest>.*?)\s*(?:-->)?\s*$")
YAML_LANGS = {"yaml", "yml", "yaml+jinja"}
SHELL_LANGS = {"sh", "bash", "shell", "console"}


class MarkerError(ValueError):
    pass


class Example:
    """One copyable example: where it is (``source``, ``index`` from 1, ``line``), its text, kind and markers."""

    def __init__(self, source, index, line, lang, text, markers):
        self.source, self.index, self.line, self.lang, self.text = source, index, line, lang, text
        self.not_run = None
        self.after = []  # [(source, [indexes])]
        self.extra_vars = {}
        for marker in markers:
            self._read_marker(marker)
        self.data = None
        if lang in SHELL_LANGS:
            self.kind = "shell"
        else:
            self.data = yaml.safe_load(text)
            self.kind = yaml_kind(self.data)

    @property
    def label(self):
        return "{0} example {1} (line {2}, {3})".format(self.source, self.index, self.line, self.lang)

    @property
    def own_connection(self):
        return any(placeholder in self.text for placeholder in OWN_CONNECTION)

    def _read_marker(self, line):
        match = MARKER.match(line)
        kind, rest = match.group("kind"), match.group("rest")
        if kind == "not-run":
            reason = re.fullmatch(r"\((.+)\)", rest)
            if not reason:
                raise MarkerError("{0}: 'example: not-run' needs a reason in parentheses: {1!r}"
                                  .format(self.source, line))
            self.not_run = reason.group(1)
        elif kind == "after":
            ref = re.match(r"(\S+)#([\d,]+)", rest)
            if not ref:
                raise MarkerError("{0}: 'example: after FILE#N' expected: {1!r}".format(self.source, line))
            self.after.append((ref.group(1), [int(i) for i in ref.group(2).split(",")]))
        else:
            try:
                self.extra_vars.update(json.JSONDecoder().raw_decode(rest)[0])
            except ValueError:
                raise MarkerError("{0}: 'example: extra-vars {{JSON}}' expected: {1!r}".format(self.source, line))

    def commands(self):
        """The shell text to run: a console block keeps only its ``$ `` commands (and their continuation lines)."""
        if self.lang != "console":
            return self.text
        lines, continued = [], False
        for line in self.text.splitlines():
            if line.startswith("$ ") or continued:
                lines.append(line[2:] if line.startswith("$ ") and not continued else line)
                continued = line.rstrip().endswith("\\")
        return "\n".join(lines) + "\n"


def yaml_kind(data):
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all("sources" in item and "rules" in item for item in data):
            return "rulebook"
        if all("hosts" in item or any(key.endswith("import_playbook") for key in item) for item in data):
            return "playbook"
        return "tasks"
    return "other"


def markers_in(lines):
    return [line for line in lines if MARKER.match(line)]


def module_examples(path):
    """The ``EXAMPLES`` of a module file, one Example per top-level list item."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
            return split_task_list(rel(path), node.value.value, node.value.lineno)
    return []


def split_task_list(source, text, first_line):
    """Examples from a YAML task list: each top-level ``- `` item, with the comment lines just above it."""
    examples, current, pending = [], None, []
    for number, line in enumerate(text.splitlines(), first_line):
        if line.startswith("- "):
            current = {"line": number, "lines": pending + [line]}
            examples.append(current)
            pending = []
        elif line.startswith("#") or (current is None and not line.strip()):
            pending.append(line)
        elif current is not None:
            current["lines"].extend(pending + [line])
            pending = []
    return [Example(source, index, item["line"], "yaml", "\n".join(item["lines"]) + "\n", markers_in(item["lines"]))
            for index, item in enumerate(examples, 1)]


def markdown_examples(path):
    lines = path.read_text().splitlines()
    examples, i = [], 0
    while i < len(lines):
        fence = re.match(r"^```\s*([\w+-]+)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        lang, start = fence.group(1).lower(), i
        end = start + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        if lang in YAML_LANGS | SHELL_LANGS:
            body = lines[start + 1:end]
            examples.append(Example(rel(path), len(examples) + 1, start + 1, lang, "\n".join(body) + "\n",
                                    markers_in([previous_line(lines, start)] + body)))
        i = end + 1
    return examples


def rst_examples(path):
    lines = path.read_text().splitlines()
    examples = []
    for start, line in enumerate(lines):
        directive = re.match(r"^(\s*)\.\. code-block::\s*(\S+)\s*$", line)
        if not directive or directive.group(2).lower() not in YAML_LANGS | SHELL_LANGS:
            continue
        indent, body, end = len(directive.group(1)), [], start + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
            body.append(lines[end])
            end += 1
        text = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        examples.append(Example(rel(path), len(examples) + 1, start + 1, directive.group(2).lower(), text,
                                markers_in([previous_line(lines, start)] + text.splitlines())))
    return examples


def argument_spec_examples(path):
    specs = yaml.safe_load(path.read_text()).get("argument_specs") or {}
    examples = []
    for entry in specs.values():
        if isinstance(entry.get("examples"), str):
            examples.extend(split_task_list(rel(path), entry["examples"], 1))
    for index, example in enumerate(examples, 1):
        example.index = index
    return examples


def previous_line(lines, index):
    """The last non-blank line before ``lines[index]``: where a Markdown or RST marker sits."""
    for line in reversed(lines[:index]):
        if line.strip():
            return line
    return ""


def rel(path):
    return str(Path(path).resolve().relative_to(REPO))


def examples_of(source):
    path = REPO / source
    if path.suffix == ".py":
        return module_examples(path)
    if path.suffix == ".md":
        return markdown_examples(path)
    if path.suffix == ".rst":
        return rst_examples(path)
    return argument_spec_examples(path)


def source_files():
    """[(repository-relative path, must it yield examples?)] for every file of ``SOURCES``."""
    files = []
    for pattern, required in SOURCES:
        files.extend((rel(path), required) for path in sorted(REPO.glob(pattern)))
    return files


def substitute(text, values):
    """``text`` with each placeholder of ``PLACEHOLDERS`` replaced; ``values``: pa_url, pa_token, import_id, workdir."""
    for placeholder, replacement in PLACEHOLDERS:
        text = text.replace(placeholder, values[replacement] if replacement in values else replacement.format(**values))
    return text


def setup_examples(example):
    """The examples that ``after`` markers ask to run before ``example``, in order."""
    chosen = []
    for source, indexes in example.after:
        available = {other.index: other for other in examples_of(source)}
        missing = [i for i in indexes if i not in available]
        if missing:
            raise MarkerError("{0}: 'after {1}#...' names no example {2}".format(example.label, source, missing))
        chosen.extend(available[i] for i in indexes)
    return chosen


def build_playbook(examples, values, record_dir):
    """One playbook running the YAML ``examples`` of a file in order: returns (plays, {step: (label, kind)}).

    Each task-list example is a block whose rescue writes ``<record_dir>/<step>.json`` (so the others still run and
    chain); each playbook example is followed by a one-task play touching ``<record_dir>/<step>.reached``, so a failed
    play is found by the first step not reached. Set-up examples (``after`` markers) are steps too.
    """
    plays, labels, tasks = [], {}, None  # labels: {step: (label, kind)}
    for example in examples:
        steps = [(setup, "set-up for {0}: {1}".format(example.label, setup.label)) for setup in setup_examples(example)]
        for step_example, label in steps + [(example, example.label)]:
            step = "{0:03d}".format(len(labels) + 1)
            labels[step] = (label, step_example.kind)
            data = yaml.safe_load(substitute(step_example.text, values))
            environment = {"PA_URL": "http://127.0.0.1:9", "PA_TOKEN": "not-this-one"} \
                if step_example.own_connection else None
            if step_example.kind == "tasks":
                if tasks is None:
                    tasks = []
                    plays.append({"name": "Examples of " + example.source, "hosts": "localhost",
                                  "connection": "local", "gather_facts": False, "tasks": tasks})
                block = {"name": label, "block": data, "rescue": [record_failure(record_dir, step)]}
                if environment:
                    block["environment"] = environment
                tasks.append(block)
            else:
                tasks = None
                for play in data:
                    if environment and "hosts" in play:
                        play.setdefault("environment", environment)
                    plays.append(play)
                plays.append({"name": "Reached the end of " + label, "hosts": "localhost", "connection": "local",
                              "gather_facts": False, "tasks": [{"ansible.builtin.file": {
                                  "path": "{0}/{1}.reached".format(record_dir, step), "state": "touch",
                                  "mode": "0600"}}]})
    return plays, labels


def record_failure(record_dir, step):
    return {"name": "Record the failure", "ansible.builtin.copy": {
        "dest": "{0}/{1}.json".format(record_dir, step), "mode": "0600",
        "content": "{{ {'task': ansible_failed_task.name, 'msg': ansible_failed_result.msg | default(''), "
                   "'result': ansible_failed_result} | to_json }}"}}


def main():
    for source, required in source_files():
        examples = examples_of(source)
        print("{0}: {1} examples{2}".format(source, len(examples), "" if examples or not required else " (NONE!)"))
        for example in examples:
            notes = []
            if example.not_run:
                notes.append("not run: " + example.not_run)
            notes.extend("after {0}#{1}".format(src, ",".join(map(str, idx))) for src, idx in example.after)
            if example.extra_vars:
                notes.append("extra vars " + json.dumps(example.extra_vars))
            print("  {0:>2}. line {1:<4} {2:<8} {3}".format(
                example.index, example.line, example.kind, "; ".join(notes)))


if __name__ == "__main__":
    sys.exit(main())
