"""The layering contract of plugins/module_utils, read from the imports of every file with ``ast``.

Each file of plugins/module_utils is in one layer; a file imports only from its own layer (where the layer allows it)
and from the layers below it. From the bottom:

1. **foundation**: the HTTP client, errors, the option tables and checks, the API's calls, the diff of one import,
   the scrub of no_log values from what a module returns (``secrets``), the one ``main()`` body of a module. These
   may import each other.
2. **readers**: resolving application names (``applications``), and the one reader of the import list and its sort
   assumption (``import_list``: snapshot, Pending index, a wait's page walk, the pages the EDA watcher reads, what
   tells a new import from an older one), and the lookups' selection by name, pattern, priority and status
   (``selection``).
3. **wait engine** (``wait``): polling a set of imports until they end or the deadline passes.
4. **verdicts** (``verdicts``): how a wait ended and what it means for each ``expect`` (stage and upload: finished;
   cancel: Canceled; pa_import_wait: its option); the one ``apply_verdict``.
5. **report** (``report``): what a batch result says to a person, from the result entries alone: each item's line,
   the counts and the task's message (the roles and playbooks only print them); no requests.
6. **obtained** (``obtained``, ``settle``): what a stage or an upload obtained (one outcome type), its diff, the wait
   for it; how a failed stage or upload request is settled (look, then adopt, send again or report outcome unknown).
7. **operations** (``stage``, ``upload``, ``cancel``): one import each; they never import each other.
8. **forms** (``stage_batch``, ``cancel_batch``, ``wait_slices`` (pa_import_wait's slices), ``import_events`` (the
   EDA watcher)): how a module or the event source runs the operations over many imports; they never import each
   other.

Above them, the entry points (plugins/modules, plugins/action, plugins/lookup, plugins/plugin_utils,
extensions/eda/plugins/event_source) may import any module_utils file, and plugin_utils (what the controller-side
lookups share), and never each other. A new module_utils file must be given a layer in LAYERS.

``python tests/unit/test_layering.py`` prints the layers, what each file imports, and the contract's verdict.
"""

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UTILS = "ansible_collections.sycorr.permission_assist.plugins.module_utils"
ENTRY_POINTS = ("plugins/modules", "plugins/action", "plugins/lookup", "plugins/plugin_utils",
                "extensions/eda/plugins/event_source")
# What the controller-side plugins share (the lookups' connection and errors): entry points may import it too.
PLUGIN_UTILS = "ansible_collections.sycorr.permission_assist.plugins.plugin_utils"

# (layer, whether its files may import each other, its files), bottom first.
LAYERS = (
    ("foundation", True, ("errors", "arguments", "multipart", "client", "api", "diffs", "secrets", "module")),
    ("readers", False, ("applications", "import_list", "selection")),
    ("wait engine", False, ("wait",)),
    ("verdicts", False, ("verdicts",)),
    ("report", False, ("report",)),
    ("obtained", False, ("obtained", "settle")),
    ("operations", False, ("stage", "upload", "cancel")),
    ("forms", False, ("stage_batch", "cancel_batch", "wait_slices", "import_events")),
)


def utils_imports(path):
    """The module_utils files that the Python file ``path`` imports (their names), anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(UTILS):
            rest = node.module[len(UTILS):].lstrip(".")
            found.update([rest.split(".")[0]] if rest else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name[len(UTILS) + 1:].split(".")[0] for alias in node.names
                         if alias.name.startswith(UTILS + "."))
    return found


def import_graph(root=REPO):
    """{module_utils file name: the module_utils files it imports}."""
    return dict((path.stem, utils_imports(path)) for path in sorted((root / "plugins" / "module_utils").glob("*.py"))
                if path.stem != "__init__")


def violations(graph, layers=LAYERS):
    """Every breach of the contract by ``graph``, as a sentence; empty when it holds."""
    level = {}
    for index, (layer, dummy, names) in enumerate(layers):
        for name in names:
            level[name] = (index, layer)
    found = ["{0}: in no layer; give it one in LAYERS (tests/unit/test_layering.py)".format(name)
             for name in sorted(graph) if name not in level]
    found.extend("LAYERS names {0}, which is not a module_utils file".format(name)
                 for name in sorted(level) if name not in graph)
    for name in sorted(graph):
        if name not in level:
            continue
        index, layer = level[name]
        for imported in sorted(graph[name]):
            if imported not in level:
                continue
            other, other_layer = level[imported]
            if other > index:
                found.append("{0} ({1}) imports {2} ({3}): a lower layer imports an upper one".format(
                    name, layer, imported, other_layer))
            elif other == index and imported != name and not layers[index][1]:
                found.append("{0} imports {1}: the {2} never import each other".format(name, imported, layer))
    return found


def entry_point_violations(root=REPO):
    """Modules, action plugins and the event source import existing module_utils files, and never each other."""
    names = set(import_graph(root))
    found = []
    for folder in ENTRY_POINTS:
        for path in sorted((root / folder).glob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if module and module.startswith("ansible_collections.sycorr.permission_assist.plugins.") and \
                        not module.startswith((UTILS, PLUGIN_UTILS)):
                    found.append("{0} imports {1}: entry points never import each other".format(
                        path.relative_to(root), module))
            found.extend("{0} imports module_utils.{1}, which does not exist".format(path.relative_to(root), name)
                         for name in sorted(utils_imports(path) - names))
    return found


def test_module_utils_keep_their_layers():
    found = violations(import_graph())
    assert not found, "the layering contract of plugins/module_utils is broken:\n" + "\n".join(found)


def test_entry_points_import_module_utils_only():
    found = entry_point_violations()
    assert not found, "\n".join(found)


def test_the_contract_catches_an_operation_importing_another_and_a_lower_layer_importing_an_upper_one():
    graph = import_graph()
    graph["stage"] = graph["stage"] | {"cancel"}
    graph["wait"] = graph["wait"] | {"verdicts"}
    graph["unplaced"] = {"api"}
    assert violations(graph) == [
        "unplaced: in no layer; give it one in LAYERS (tests/unit/test_layering.py)",
        "stage imports cancel: the operations never import each other",
        "wait (wait engine) imports verdicts (verdicts): a lower layer imports an upper one",
    ]


def report(root=REPO):
    graph = import_graph(root)
    for index, (layer, shared, names) in enumerate(LAYERS, start=1):
        print("{0}. {1}{2}".format(index, layer, " (may import each other)" if shared else ""))
        for name in names:
            print("     {0:<13} imports {1}".format(name, ", ".join(sorted(graph.get(name, ()))) or "-"))
    found = violations(graph) + entry_point_violations(root)
    print("contract: {0}".format("kept ({0} files)".format(len(graph)) if not found else "BROKEN"))
    for line in found:
        print("  " + line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(report(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO))
