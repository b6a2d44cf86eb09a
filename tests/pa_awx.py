"""What AWX does with the collection's credential type (awx/credential_type.yml) before a job starts."""

import os

import yaml
from jinja2 import Environment, StrictUndefined

from pa_testlib import REPO

CREDENTIAL_TYPE = REPO / "awx" / "credential_type.yml"


def credential_type():
    return yaml.safe_load(CREDENTIAL_TYPE.read_text())


def injected_environment(inputs, private_dir):
    """Render the injectors as AWX does: Jinja over the credential's inputs (field defaults filled in).

    Each ``file`` injector ``template.<name>`` is written to a file of the job's private data directory
    (mode 0600) and its path is ``tower.filename.<name>`` in the ``env`` templates.
    """
    definition = credential_type()
    values = {field["id"]: field["default"] for field in definition["inputs"]["fields"] if "default" in field}
    values.update(inputs)
    jinja = Environment(undefined=StrictUndefined)
    filenames = {}
    for label, template in definition["injectors"].get("file", {}).items():
        name = label.split(".", 1)[1]
        path = os.path.join(str(private_dir), "credential_file_" + name)
        with open(path, "w") as handle:
            handle.write(jinja.from_string(template).render(**values))
        os.chmod(path, 0o600)
        filenames[name] = path
    values["tower"] = {"filename": filenames}
    return {name: jinja.from_string(template).render(**values)
            for name, template in definition["injectors"]["env"].items()}
