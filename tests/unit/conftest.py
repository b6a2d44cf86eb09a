"""Make `ansible_collections.sycorr.permission_assist` importable from the work tree.

Through ansible's collection loader, as ansible-test units does (it installs the loader itself, so the import below
succeeds there): plugins then load by their FQCN too (``lookup_loader.get("sycorr.permission_assist.applications")``).
"""

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

try:
    import ansible_collections.sycorr.permission_assist  # noqa: F401  pylint: disable=unused-import
except ImportError:
    from ansible.plugins.loader import init_plugin_loader

    root = Path(tempfile.mkdtemp(prefix="pa-collections-"))
    (root / "ansible_collections" / "sycorr").mkdir(parents=True)
    (root / "ansible_collections" / "sycorr" / "permission_assist").symlink_to(REPO)
    sys.path.insert(0, str(root))
    init_plugin_loader([str(root)])
