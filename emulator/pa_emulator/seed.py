"""The seeded applications and their import history. Every GUID is fixed, so demos and tests can name them."""

import hashlib
import uuid
from datetime import datetime, timedelta, timezone

# Behaviours of a seeded application.
NORMAL = "normal"  # stage works; imports end Finished
ARCHIVED = "archived"  # isArchived: stage answers 400
NO_SCHEDULE = "no_schedule"  # no import schedule: stage answers 422
FAILS = "fails"  # imports end Failed
SLOW = "slow"  # builds SLOW_FACTOR times longer
STUCK = "stuck"  # stays Running until canceled (like a trend-paused import)

SLOW_FACTOR = 5.0
HISTORY_START = datetime(2026, 1, 1, 2, 0, 0, tzinfo=timezone.utc)  # in the past: staged imports sort above history

# (id, name, priority, behaviour, number of past imports)
APPLICATIONS = [
    ("7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3", "Core Banking", "High", NORMAL, 130),
    ("1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64", "HR Portal", "Moderate", NORMAL, 3),
    ("9e4a7b13-2c6d-4f85-a9b0-3d1e5f7c2a98", "Payments Gateway", "Critical", NORMAL, 3),
    ("4d2c8e61-7f3a-4b59-9e12-6a0b4c8d1f37", "Treasury Management", "High", NORMAL, 3),
    ("b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19", "Legacy Mainframe", "Low", ARCHIVED, 5),
    ("c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45", "Card Issuing", "High", NO_SCHEDULE, 0),
    ("e6b9c3a7-4f18-4d2e-9c65-1a8f0b7d3e52", "Data Warehouse", "Moderate", FAILS, 3),
    ("2f7d4b8c-9a31-4e6f-b5c2-8d0e1a4f7c96", "Trading Platform", "Critical", SLOW, 3),
    ("5a0e8f3d-6b2c-4197-8d4a-9f3c7e1b2d08", "Risk Engine", "High", STUCK, 2),
    ("8c1f6e2a-3d94-4a7b-9f05-b2e8c4d6a173", "Reporting", "Low", NORMAL, 1),
    ("f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604", "Reporting", "None", NORMAL, 1),
    ("a7e2c5f8-0b39-4d61-8e7a-4c1f9b2d6e35", "Shared Services", "Low", ARCHIVED, 1),
    ("d9b4e1c6-7a52-4f38-b1e9-5e3d8a2c7f40", "Shared Services", "Moderate", NORMAL, 1),
]

# Connectors (the emulator's reading of contract 7: application details carry the connector configuration).
# File-based connectors take uploads (6.7); their file groups have fixed GUIDs. Every other application's connector
# is not file-based, so an upload to it answers 422.
USERS_GROUP = "3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38"
ROLES_GROUP = "c47e1b92-0d6a-4f35-8b29-5a1e3c7d9f64"
ENTITLEMENTS_GROUP = "8b5d3e0f-2a7c-4e19-9d46-b0f1c8a2e753"
HR_USERS_GROUP = "e1c8a5d3-7f29-4b60-8e14-2d9b6f3a0c57"
HR_ROLES_GROUP = "5d2f9b47-c8e1-4a36-b705-9e3a1c6d8f20"
FILE_CONNECTOR = "Delimited File"
OTHER_CONNECTOR = "Database"
CONNECTORS = {
    # Card Issuing: no import schedule (stage 422), file-based: the application upload is meant for
    "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45": [(USERS_GROUP, "Users", True), (ROLES_GROUP, "Roles", True),
                                             (ENTITLEMENTS_GROUP, "Entitlements", False)],
    # HR Portal: scheduled and file-based (the reference's reading of who may upload, 11)
    "1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64": [(HR_USERS_GROUP, "Users", True), (HR_ROLES_GROUP, "Roles", False)],
    # Legacy Mainframe: archived, file-based (upload 400 "Application is archived")
    "b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19": [("6a3e0d84-9b1f-4c72-a5e8-d4f7b2c1e096", "Users", True)],
}

# Invented connector file groups, used for the files of imports the build job runs.
FILE_GROUPS = [
    ("0b7d4e22-18c3-4a9f-b5e0-63d1f9a2c704", "User Extract", "users_{0}.csv"),
    ("9a1c6f35-d4e8-4b27-8f03-c2e5a7b91d46", "Role Extract", "roles_{0}.csv"),
]


def connector(application_id):
    """The connector configuration of an application: name, fileBased, fileGroups (id, name, required)."""
    groups = CONNECTORS.get(application_id)
    if groups is None:
        return {"name": OTHER_CONNECTOR, "fileBased": False, "fileGroups": []}
    return {"name": FILE_CONNECTOR, "fileBased": True,
            "fileGroups": [{"id": group_id, "name": name, "required": required} for group_id, name, required in groups]}


def stable_guid(*parts):
    """A lowercase version-4-shaped GUID derived from ``parts``: the same input always gives the same id."""
    digest = hashlib.sha256("/".join(str(part) for part in parts).encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def extra_application_id(index):
    """GUID of load-test application number ``index`` (1-based): 0000-..-10ad-style, deterministic."""
    return str(uuid.UUID(int=(0x10AD << 112) | index, version=4))


# extra_mix: load-test application i takes MIX[(i - 1) % len(MIX)], so a test knows each one's story:
# (profile, behaviour, past imports, one more import after them: None, "Pending" (never started, queued for the
# build job) or "Canceled" (canceled before it started)). Both have a null buildStart, so they sort on the last page.
MIX = [
    ("empty", NORMAL, 0, None),
    ("long_pending", NORMAL, 100, "Pending"),  # 101 imports, 3 pages: the Pending one alone on page 3
    ("long_settled", NORMAL, 100, "Canceled"),  # the same pages, nothing reusable on the last one
    ("pending", NORMAL, 3, "Pending"),
    ("settled", NORMAL, 3, None),
    ("archived", ARCHIVED, 3, None),
    ("no_schedule", NO_SCHEDULE, 0, None),
]


def extra_profile(index):
    """The MIX entry of load-test application ``index`` (1-based) under extra_mix."""
    return MIX[(index - 1) % len(MIX)]


def extra_applications(count, mix=False):
    """(id, name, priority, behaviour, past imports, last import) of the load-test applications."""
    rows = []
    for i in range(1, count + 1):
        dummy, behaviour, past, last = extra_profile(i) if mix else (None, NORMAL, 0, None)
        rows.append((extra_application_id(i), "Load App {0:04d}".format(i), "None", behaviour, past, last))
    return rows


def last_import_id(application_id):
    """Id of the Pending or Canceled import extra_mix adds after an application's history."""
    return stable_guid("last", application_id)


def history_import_id(application_id, index):
    return stable_guid("history", application_id, index)


def history(application_id, count, stagger=0, failing=False):
    """Past imports, oldest first, as dicts: id, type, status, createdBy, buildStart, buildEnd.

    Each application's schedule runs ``stagger`` * 4 minutes after the first one's, so applications rarely tie.
    Every 11th import failed; all of them when ``failing``.
    """
    rows = []
    for index in range(count):
        start = HISTORY_START + timedelta(days=index // 2, hours=12 * (index % 2), minutes=4 * stagger)
        manual = index % 7 == 3
        rows.append({
            "id": history_import_id(application_id, index),
            "type": "Manual" if manual else "Scheduled",
            "status": "Failed" if failing or index % 11 == 5 else "Finished",
            "createdBy": "Dana Whitfield" if manual else "Permission Assist",
            "buildStart": start,
            "buildEnd": start + timedelta(minutes=11, seconds=42),
        })
    return rows
