"""Extract the awx.awx collection from a downloaded Ansible community package wheel into a collections path.

Usage: python tools/awx_collection.py WHEEL_DIR DEST   (DEST/ansible_collections/awx/awx is (re)created)
"""

import glob
import os
import shutil
import sys
import zipfile

PREFIX = "ansible_collections/awx/awx/"


def main(wheel_dir, dest):
    wheels = glob.glob(os.path.join(wheel_dir, "ansible-*.whl"))
    if len(wheels) != 1:
        sys.exit("tools/awx_collection.py: expected one ansible-*.whl in {0}, found {1}".format(wheel_dir, wheels))
    shutil.rmtree(os.path.join(dest, PREFIX), ignore_errors=True)
    with zipfile.ZipFile(wheels[0]) as wheel:
        members = [name for name in wheel.namelist() if name.startswith(PREFIX)]
        if not members:
            sys.exit("tools/awx_collection.py: {0} holds no awx.awx".format(wheels[0]))
        for name in members:
            wheel.extract(name, dest)
    print("awx.awx extracted from {0} into {1}".format(os.path.basename(wheels[0]), dest))


if __name__ == "__main__":
    main(*sys.argv[1:])
