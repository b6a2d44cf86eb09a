"""Write a Sphinx inventory (objects.inv) for the few ansible-core docs labels the generated pages link to.

Sphinx's intersphinx would download https://docs.ansible.com/projects/ansible/devel/objects.inv at build time; the
docs build must work offline, so tools/docs/build.sh points intersphinx at this file instead. The links still go to
docs.ansible.com. A label missing here fails the build (sphinx-build -W): add it to LABELS.

Usage: offline_inventory.py OUTPUT
"""

import sys
import zlib

# label, page and anchor under https://docs.ansible.com/projects/ansible/devel/, title
LABELS = (
    ("ansible_configuration_settings", "reference_appendices/config.html#ansible-configuration-settings",
     "Ansible Configuration Settings"),
    ("common_return_values", "reference_appendices/common_return_values.html#common-return-values",
     "Return Values"),
    # the note on a module with an action plugin (pa_import_wait)
    ("action_plugins", "plugins/action.html#action-plugins", "Action plugins"),
)


def main(output):
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n" \
             "# The remainder of this file is compressed using zlib.\n"
    body = "".join("{0} std:label -1 {1} {2}\n".format(label, uri, title) for label, uri, title in LABELS)
    with open(output, "wb") as handle:
        handle.write(header.encode("utf-8") + zlib.compress(body.encode("utf-8")))


if __name__ == "__main__":
    main(sys.argv[1])
