"""The modules scrub their own no_log values (the API token) from everything they return, on every ansible-core line.

ansible-core 2.22 masks no_log values only where it displays them; 2.21 and older also replaced them inside module
results. A token that reached a result (an application name templated from it, echoed in a message) would otherwise
be kept in clear in registered variables and every file written from them, so each module scrubs its no_log values
itself (plugins/module_utils/secrets.py). tools/matrix.sh runs this file on every line.
"""

import json

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils import module as module_runner
from ansible_collections.sycorr.permission_assist.plugins.module_utils.secrets import PLACEHOLDER, scrub
from pa_testlib import TOKEN


def assert_token_absent(run):
    assert TOKEN not in run.output  # the JSON the module printed: the result as ansible receives it
    assert TOKEN not in json.dumps(run.result)


def test_a_token_in_an_application_name_is_scrubbed_from_the_results_and_the_failure(emulator, run_module):
    batch = run_module("pa_import_stage", {"applications": ["HR Portal", "Treasury " + TOKEN]})
    assert_token_absent(batch)
    staged, unknown = batch["application_results"]
    assert staged["application_name"] == "HR Portal" and staged["import_id"]  # the token still reached the server
    assert unknown["failed"] is True and unknown["application_name"] == "Treasury " + PLACEHOLDER
    assert unknown["msg"] == "applications[1]: no application is named 'Treasury {0}'".format(PLACEHOLDER)

    single = run_module("pa_import_stage", {"application_name": "Treasury " + TOKEN})
    assert single.rc == 1 and "Treasury " + PLACEHOLDER in single["msg"], single.output
    assert_token_absent(single)
    assert emulator.stats()["imports_created"] == 1


def test_a_warning_quoting_the_token_is_scrubbed(run_module, monkeypatch):
    monkeypatch.setattr(module_runner, "check_connection", lambda params: ["token " + params["pa_token"]])
    run = run_module("pa_application_info", {"name": "HR Portal"})
    assert run.rc == 0 and run.warned("token " + PLACEHOLDER), run.output
    assert_token_absent(run)


@pytest.mark.parametrize("value,secrets,expected", [
    ("plain", ["s3cret"], "plain"),
    ("a s3cret b s3cret", ["s3cret"], "a {0} b {0}".format(PLACEHOLDER)),
    ({"s3cret": ["x-s3cret", ("s3cret",), 3, None, True]}, [" s3cret\n"],
     {PLACEHOLDER: ["x-" + PLACEHOLDER, (PLACEHOLDER,), 3, None, True]}),
    ("s3cret-longer", ["s3cret", "s3cret-longer"], PLACEHOLDER),  # the longest first: replaced whole
    ("text", ["", "  ", None, 42], "text"),  # blank and non-string secrets are ignored
])
def test_scrub(value, secrets, expected):
    assert scrub(value, secrets) == expected
