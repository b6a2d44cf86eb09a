"""Make `ansible_collections.sycorr.permission_assist` importable from the work tree."""

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

try:
    import ansible_collections.sycorr.permission_assist  # noqa: F401  pylint: disable=unused-import
except ImportError:
    root = Path(tempfile.mkdtemp(prefix="pa-collections-"))
    (root / "ansible_collections" / "sycorr").mkdir(parents=True)
    (root / "ansible_collections" / "sycorr" / "permission_assist").symlink_to(REPO)
    sys.path.insert(0, str(root))
