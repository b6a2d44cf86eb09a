"""The seeded applications and their import history. GUIDs are fixed so demos and tests can name them."""

import uuid
from datetime import datetime, timedelta, timezone

NORMAL = "normal"
ARCHIVED = "archived"
NO_SCHEDULE = "no_schedule"
FAILS = "fails"
SLOW = "slow"
STUCK = "stuck"

# (id, name, priority, behaviour, history length)
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

SLOW_FACTOR = 5.0
HISTORY_START = datetime(2026, 1, 1, 2, 0, 0, tzinfo=timezone.utc)


def extra_application_id(index):
    return str(uuid.UUID(int=(0x10AD << 112) | index, version=4))


def extra_applications(count):
    return [(extra_application_id(i), "Load App {0:04d}".format(i), "None", NORMAL, 0) for i in range(1, count + 1)]


def history_import_id(application_id, index):
    return str(uuid.uuid5(uuid.UUID(application_id), "import-{0}".format(index)))


def history(application_id, count):
    """Past imports, oldest first: (id, type, status, createdBy, buildStart, buildEnd)."""
    rows = []
    for index in range(count):
        start = HISTORY_START + timedelta(days=index // 2, hours=12 * (index % 2))
        failed = index % 11 == 5
        manual = index % 7 == 3
        rows.append((
            history_import_id(application_id, index),
            "Manual" if manual else "Scheduled",
            "Failed" if failed else "Finished",
            "Dana Whitfield" if manual else "Permission Assist",
            start,
            start + timedelta(minutes=11, seconds=42),
        ))
    return rows
