"""pa_playbook_inputs: the ready playbooks' inputs read and checked on the controller, one table of cases.

Each case is what a survey or ``-e`` gives (a survey's answers are strings) and the one line the playbook fails with,
naming the input; or what the playbook goes on with. The action plugin's own part (its arguments, the host's
variables, check mode) runs through ansible-playbook: tests/e2e/test_playbook_inputs.py. (Importing ansible's
controller code here would change how the in-process module tests of this process see warnings.)
"""

import pytest

from ansible_collections.sycorr.permission_assist.plugins.plugin_utils.playbook_inputs import (
    PLAYBOOKS, misspelling_of, nothing_selected, read_inputs, report_shared, selected)

GUID = "5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"
OTHER = "6f1c2e0a-3b7d-4c55-9a08-2d4e6b1f7c93"
STAGE_DEFAULTS = {"applications": [], "priority": "", "reuse_pending": True, "wait": False, "wait_timeout": 3600, "report_path": ""}
CANCEL_DEFAULTS = {"import_ids": [], "wait": False, "wait_timeout": 600, "report_path": ""}
STAGE_INPUTS = "; the inputs are applications, priority, reuse_pending, wait_timeout, report_path, wait"
CANCEL_INPUTS = "; the inputs are import_ids, results, summary, error, wait_timeout, report_path, wait"
NONE_STAGED = ("applications: none given; pass application names or GUIDs, as a list or as one comma- or "
               "newline-separated string: -e \"applications='Core Banking, HR Portal'\"")
NONE_CANCELED = ("import_ids: none given; pass import GUIDs, as a list or as one comma- or newline-separated string "
                 "(-e import_ids=5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57), or a stage_imports.yml report "
                 "(-e @report.json)")
CHECK_MODE_REPORT = ("results: this report is from a check-mode run of stage_imports.yml (its summary has "
                     "would_stage): that run staged nothing, and the imports it lists as reused were staged by "
                     "others; roll back with the report of a real run (a check-mode run of this playbook may take it)")


def stage(extra_vars, variables=(), check_mode=False):
    """What playbooks/stage_imports.yml reads from these extra vars (over its defaults); the host's variables are
    the extra vars and ``variables``."""
    given = dict(STAGE_DEFAULTS, **extra_vars)
    return read_inputs("stage_imports", given, list(extra_vars) + list(variables), check_mode)


def cancel(extra_vars, variables=(), check_mode=False):
    given = dict(CANCEL_DEFAULTS, **extra_vars)
    return read_inputs("cancel_imports", given, list(extra_vars) + list(variables), check_mode)


# Misspelled inputs: every rule, both playbooks, and the names that must pass

@pytest.mark.parametrize("name, meant", [
    ("application", "applications"),  # the start of an input
    ("appl", "applications"),  # 4 letters are enough
    ("Applications", "applications"),  # the same letters, ignoring case
    ("reuse-pending", "reuse_pending"),  # ... and - or _
    ("REUSEPENDING", "reuse_pending"),
    ("applicatons", "applications"),  # one letter less, the same first five and last two
    ("applicattions", "applications"),  # one letter more
    ("applicationss", None),  # ... but not at the end: the last two letters differ
    ("wait_timout", "wait_timeout"),
    ("wait_timeeout", "wait_timeout"),
    ("report", "report_path"),
    ("reportpath", "report_path"),
    ("Wait", "wait"),  # the same letters win over the start of a longer input (wait_timeout)
    ("wai", None),  # 3 letters: too short to be the start of an input
    ("waitt", "wait_timeout"),  # the start of wait_timeout
    ("waiting", None),
    ("app", None),  # 3 letters: too short to be the start of an input
    ("application_env", None),
    ("wait_for_db", None),
    ("reporting_email", None),
    ("playbook_dir", None),
    ("Priority", "priority"),
    ("prio", "priority"),
    ("priorty", "priority"),
    ("priority_level", None),
])
def test_what_is_taken_for_a_misspelled_stage_input(name, meant):
    assert misspelling_of(name, PLAYBOOKS["stage_imports"].inputs) == meant


@pytest.mark.parametrize("name, meant", [
    ("import_id", "import_ids"),
    ("import", "import_ids"),
    ("importids", "import_ids"),
    ("result", "results"),
    ("wait_timout", "wait_timeout"),
    ("summaries", None),
    ("errors", None),
    ("err", None),
])
def test_what_is_taken_for_a_misspelled_cancel_input(name, meant):
    assert misspelling_of(name, PLAYBOOKS["cancel_imports"].inputs) == meant


def test_a_misspelling_comes_first_names_every_one_and_lists_the_inputs():
    dummy, error = stage({"application": "HR Portal", "wait_timout": "60", "wait_timeout": "soon"})
    assert error == ("unknown extra var application (did you mean applications?), wait_timout (did you mean "
                     "wait_timeout?)" + STAGE_INPUTS)
    dummy, error = cancel({"import_id": GUID})
    assert error == "unknown extra var import_id (did you mean import_ids?)" + CANCEL_INPUTS


def test_inventory_variables_are_seen_ansible_ones_and_bystanders_are_not_taken():
    bystanders = ["application_env", "wait_for_db", "reporting_email", "app", "ansible_application",
                  "inventory_hostname", "groups", "omit", "playbook_dir"]
    assert stage({"applications": "HR Portal"}, bystanders)[1] == ""
    assert stage({"applications": "HR Portal"}, ["applicatons"])[1].startswith(
        "unknown extra var applicatons (did you mean applications?)")


# The stage playbook: applications (a survey's string or a list), the booleans, wait_timeout

@pytest.mark.parametrize("applications, read", [
    ("HR Portal", ["HR Portal"]),
    (GUID.upper() + ", HR Portal\nPayments Gateway,,", [GUID.upper(), "HR Portal", "Payments Gateway"]),
    ("  Core Banking  \r\n", ["Core Banking"]),
    (["HR Portal", " Core Banking ", "", {"name": "Payments Gateway", "reuse_pending": False}],
     ["HR Portal", "Core Banking", {"name": "Payments Gateway", "reuse_pending": False}]),
    ({"name": "HR Portal"}, [{"name": "HR Portal"}]),  # one dict is one application
    ([GUID, 7], [GUID, "7"]),  # the module says what is wrong with an item
], ids=["one-name", "survey-string", "trimmed", "list", "one-dict", "not-a-string"])
def test_applications_as_a_survey_or_a_list_gives_them(applications, read):
    inputs, error = stage({"applications": applications})
    assert error == "" and inputs["applications"] == read


@pytest.mark.parametrize("applications", [None, "", " , \n", [], ["", " "]],
                         ids=["null", "empty", "separators-only", "empty-list", "blank-items"])
def test_no_application_is_refused(applications):
    inputs, error = stage({"applications": applications})
    assert error == NONE_STAGED and inputs["applications"] == []


@pytest.mark.parametrize("extra_vars, error", [
    ({"wait_timeout": "soon"}, "wait_timeout: 'soon' is not a number of seconds greater than 0"),
    ({"wait_timeout": "0"}, "wait_timeout: '0' is not a number of seconds greater than 0"),
    ({"wait_timeout": 0}, "wait_timeout: '0' is not a number of seconds greater than 0"),
    ({"wait_timeout": "-5"}, "wait_timeout: '-5' is not a number of seconds greater than 0"),
    ({"wait_timeout": "1e3"}, "wait_timeout: '1e3' is not a number of seconds greater than 0"),
    ({"wait_timeout": True}, "wait_timeout: 'True' is not a number of seconds greater than 0"),
    ({"wait_timeout": None}, "wait_timeout: 'None' is not a number of seconds greater than 0"),
    ({"wait": "maybe"}, "wait: 'maybe' is not true or false"),
    ({"wait": 2}, "wait: '2' is not true or false"),
    ({"reuse_pending": "perhaps"}, "reuse_pending: 'perhaps' is not true or false"),
    # the first problem is the one said: applications, then wait_timeout, wait, reuse_pending
    ({"applications": "", "wait": "maybe"}, NONE_STAGED),
    ({"wait_timeout": "soon", "wait": "maybe"}, "wait_timeout: 'soon' is not a number of seconds greater than 0"),
    ({"wait": "maybe", "reuse_pending": "perhaps"}, "wait: 'maybe' is not true or false"),
], ids=["timeout-word", "timeout-zero", "timeout-int-zero", "timeout-negative", "timeout-exponent", "timeout-bool",
        "timeout-null", "wait-word", "wait-number", "reuse-word", "first-applications", "first-timeout",
        "first-wait"])
def test_bad_stage_values_name_the_input(extra_vars, error):
    assert stage(dict({"applications": "HR Portal"}, **extra_vars))[1] == error


@pytest.mark.parametrize("given, read", [
    ("true", True), ("True", True), (" yes ", True), ("on", True), ("1", True), (1, True), (True, True),
    ("false", False), ("NO", False), ("off", False), ("0", False), (0, False), (False, False),
])
def test_what_a_survey_or_e_spells_a_boolean_as(given, read):
    inputs, error = stage({"applications": "HR Portal", "wait": given, "reuse_pending": given})
    assert error == "" and inputs["wait"] is read and inputs["reuse_pending"] is read


@pytest.mark.parametrize("given, read", [("60", 60.0), (60, 60.0), (" 2.5 ", 2.5), (3600.0, 3600.0)])
def test_wait_timeout_is_read_as_seconds(given, read):
    inputs, error = stage({"applications": "HR Portal", "wait_timeout": given})
    assert error == "" and inputs["wait_timeout"] == read


def test_what_the_stage_playbook_goes_on_with():
    inputs, error = stage({"applications": "HR Portal, Core Banking", "wait": "true", "wait_timeout": "90",
                           "report_path": "/tmp/report.json"})
    assert error == ""
    assert inputs == {"applications": ["HR Portal", "Core Banking"], "priority": None, "select": [],
                      "reuse_pending": True, "wait": True, "wait_timeout": 90.0, "report_path": "/tmp/report.json"}
    # an input that could not be read is None, the others are read all the same (the report counts the items)
    inputs, error = stage({"applications": "HR Portal", "wait": "maybe"})
    assert inputs["wait"] is None and inputs["applications"] == ["HR Portal"] and error


# The stage playbook: patterns and priority, which the action plugin resolves with the applications lookup

@pytest.mark.parametrize("applications, priority, select, read_priority", [
    ("HR Portal, Core Banking", "", [], None),  # names only: the modules resolve them, no lookup
    ("HR *", "", ["HR *"], None),
    ("HR *, Core Banking", "", ["HR *", "Core Banking"], None),  # with a pattern, the names go to the lookup too
    (["Core Bank?ng", GUID], "", ["Core Bank?ng"], None),  # a GUID is staged by its id, as given
    ("[A-C]*", None, ["[A-C]*"], None),
    ("HR Portal", "Critical", ["HR Portal"], ["Critical"]),  # priority narrows names too
    ("HR *", "critical", ["HR *"], ["Critical"]),  # any case
    ("HR *", "High, critical", ["HR *"], ["High", "Critical"]),  # a comma-separated string
    ("HR *", "High\nCritical", ["HR *"], ["High", "Critical"]),  # an AWX multiple choice: one per line
    ("HR *", ["None", "Low"], ["HR *"], ["None", "Low"]),  # a list; None is a priority, quoted
    ("HR *", [], ["HR *"], None),
], ids=["names", "pattern", "pattern-and-name", "pattern-and-guid", "bracket", "name-priority", "any-case",
        "comma", "multiple-choice", "list", "empty-list"])
def test_patterns_and_priority_are_what_the_lookup_selects(applications, priority, select, read_priority):
    inputs, error = stage({"applications": applications, "priority": priority})
    assert error == "" and inputs["select"] == select and inputs["priority"] == read_priority


@pytest.mark.parametrize("extra_vars, error", [
    ({"priority": "Urgent"}, "priority: unknown value 'Urgent'; use any of None, Low, Moderate, High, Critical"),
    ({"priority": "High, urgent"}, "priority: unknown value 'urgent'; use any of None, Low, Moderate, High, "
                                   "Critical"),
    ({"applications": [GUID, "HR *"], "priority": "High"},
     "priority: narrows application names and patterns only; 1 GUID or dict item(s) given with it (first: "
     "'{0}'); give their names instead, or leave priority out".format(GUID)),
    ({"applications": [{"name": "HR Portal"}], "priority": "High"},
     "priority: narrows application names and patterns only; 1 GUID or dict item(s) given with it (first: "
     "'HR Portal'); give their names instead, or leave priority out"),
    ({"applications": "", "priority": "High"}, NONE_STAGED),  # priority alone selects nothing: no applications
], ids=["unknown", "one-unknown", "with-guid", "with-dict", "priority-alone"])
def test_bad_priority_names_the_input(extra_vars, error):
    assert stage(dict({"applications": "HR *"}, **extra_vars))[1] == error


def test_the_selection_replaces_the_names_and_patterns_and_keeps_the_rest():
    records = [{"id": OTHER, "name": "HR Portal", "priority": "Critical"}]
    applications = ["HR *", GUID, {"name": "Core Banking", "reuse_pending": False}, "Payments Gateway"]
    assert selected(applications, ["HR *", "Payments Gateway"], records) == records + [
        GUID, {"name": "Core Banking", "reuse_pending": False}]
    assert nothing_selected(["HR *", "Pay*"], ["Low", "None"]) == (
        "applications: nothing matches 'HR *', 'Pay*' with priority Low or None; no application to stage")
    assert nothing_selected(["HR *"], None) == "applications: nothing matches 'HR *'; no application to stage"


@pytest.mark.parametrize("report_path, hosts, error", [
    ("", ["pa-prod", "pa-dr"], False),
    ("reports/pa-prod.json", ["pa-prod", "pa-dr"], False),  # {{ inventory_hostname }} put in
    ("report.json", ["pa-prod"], False),
    ("report.json", ["pa-prod", "pa-prod"], False),
    ("report.json", ["pa-prod", "pa-dr"], True),
])
def test_a_report_path_several_hosts_would_share_is_refused(report_path, hosts, error):
    found = report_shared(report_path, "pa-prod", hosts)
    assert bool(found) is error
    if error:
        assert found.startswith("report_path: 'report.json' is the same file for each of the play's 2 hosts")


# The cancel playbook: import_ids, a report's results, the check-mode report

REPORT = {
    "results": [{"application_name": "HR Portal", "import_id": GUID, "failed": False},
                {"application_name": "Card Issuing", "import_id": None, "failed": True}],
    "summary": {"requested": 2, "staged": 1, "reused": 0, "failed": 1, "not_attempted": 0},
    "error": "1 of 2 application(s) failed",
}


@pytest.mark.parametrize("extra_vars, import_ids", [
    ({"import_ids": GUID}, [GUID]),
    ({"import_ids": " {0},\n{1}\n".format(GUID, OTHER)}, [GUID, OTHER]),
    ({"import_ids": [GUID, " " + OTHER, ""]}, [GUID, OTHER]),
    (REPORT, [GUID]),  # the report's failed applications have no import: skipped
    (dict(REPORT, import_ids=OTHER), [GUID, OTHER]),  # the report's first, then the GUIDs given
    ({"results": [GUID, {"import_id": OTHER}]}, [OTHER, GUID]),
    ({"results": []}, []),  # an empty report: nothing to cancel, not a refusal
], ids=["one", "survey-string", "list", "report", "report-and-ids", "report-of-ids", "empty-report"])
def test_import_ids_and_reports_give_the_imports_to_cancel(extra_vars, import_ids):
    inputs, error = cancel(extra_vars)
    assert error == "" and inputs["import_ids"] == import_ids


@pytest.mark.parametrize("extra_vars, error", [
    ({}, NONE_CANCELED),
    ({"import_ids": ", "}, NONE_CANCELED),
    ({"import_ids": None}, NONE_CANCELED),
    ({"results": "report.json"}, "results: not the results list of a stage_imports.yml report"),
    ({"results": {"import_id": GUID}}, "results: not the results list of a stage_imports.yml report"),
    ({"results": None}, "results: not the results list of a stage_imports.yml report"),
    (dict(REPORT, summary=dict(REPORT["summary"], would_stage=1)), CHECK_MODE_REPORT),
    ({"import_ids": GUID, "wait_timeout": "soon"}, "wait_timeout: 'soon' is not a number of seconds greater than 0"),
    ({"import_ids": GUID, "wait": "maybe"}, "wait: 'maybe' is not true or false"),
    # the first problem is the one said: results, the check-mode report, wait_timeout, wait, then none given
    ({"wait": "maybe"}, "wait: 'maybe' is not true or false"),
    ({"results": "x", "wait_timeout": "soon"}, "results: not the results list of a stage_imports.yml report"),
], ids=["nothing", "separators-only", "null", "results-string", "results-dict", "results-null", "check-mode-report",
        "timeout", "wait", "first-wait", "first-results"])
def test_bad_cancel_values_name_the_input(extra_vars, error):
    assert cancel(extra_vars)[1] == error


def test_a_check_mode_report_is_taken_in_check_mode():
    report = dict(REPORT, summary=dict(REPORT["summary"], would_stage=1))
    inputs, error = cancel(report, check_mode=True)
    assert error == "" and inputs["import_ids"] == [GUID]
