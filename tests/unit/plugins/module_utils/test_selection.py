import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.selection import (
    PRIORITIES, choices, closest_names, is_pattern, select_applications)

APPS = [
    {"id": "1", "name": "App [EU]", "priority": "High", "isArchived": False},
    {"id": "2", "name": "App E", "priority": "Low", "isArchived": False},
    {"id": "3", "name": "HR Portal", "priority": "Critical", "isArchived": False},
    {"id": "4", "name": "HR Payroll", "priority": "Critical", "isArchived": True},
]


def ids(records):
    return [record["id"] for record in records]


def test_a_bracket_makes_a_pattern_and_a_bracketed_bracket_is_literal():
    assert is_pattern("App [EU]") and not is_pattern("App (EU)")
    assert ids(select_applications(APPS, ["App [EU]"])) == ["2"]
    assert ids(select_applications(APPS, ["App [[]EU]"])) == ["1"]


def test_terms_in_order_each_once_archived_and_priority_filters():
    assert ids(select_applications(APPS, ["HR *", "App*", "HR Portal"])) == ["3", "1", "2"]
    assert ids(select_applications(APPS, ["HR *"], include_archived=True)) == ["3", "4"]  # in list order
    assert ids(select_applications(APPS, [], priorities=["Critical"], include_archived=True)) == ["3", "4"]


def test_closest_names_ignore_case_and_leave_out_archived_ones():
    assert closest_names("hr portl", ["HR Portal", "HR Payroll", "App E"]) == ["HR Portal", "HR Payroll"]
    with pytest.raises(OperationError) as info:
        select_applications(APPS, ["HR Payrol"])
    assert str(info.value) == "no application is named 'HR Payrol'; closest names: 'HR Portal'"


@pytest.mark.parametrize("value, message", [
    (["High", 3], "priority: unknown value 3; use any of None, Low, Moderate, High, Critical"),
    ("urgent", "priority: unknown value 'urgent'; use any of None, Low, Moderate, High, Critical"),
])
def test_choices_name_the_field_and_the_allowed_values(value, message):
    with pytest.raises(InputError) as info:
        choices("priority", value, PRIORITIES)
    assert str(info.value) == message


def test_choices_give_the_canonical_spelling():
    assert choices("priority", [" none", "CRITICAL"], PRIORITIES) == ["None", "Critical"]
    assert choices("priority", None, PRIORITIES) is None
