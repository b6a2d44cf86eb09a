"""JSON representations (contract 6.1 and 5): application summary, full and list import, paged envelope."""

PAGE_SIZE = 50
LIST_FIELDS = ("id", "kind", "number", "type", "status", "buildStart", "buildEnd", "application")


def stamp(store, value):
    """UTC, second precision; ``Z`` suffix, or no offset at all with timestamp_style "naive" (trigger guide)."""
    if value is None:
        return None
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    return text + "Z" if store.timestamp_style == "z" else text


def application(store, app):
    return {"id": app["id"], "kind": "Application", "name": app["name"], "priority": app["priority"],
            "isArchived": app["isArchived"], "lastUpdated": stamp(store, app["lastUpdated"])}


def application_details(store, app):
    """GET /applications/{id}: the summary plus the connector configuration (the emulator's reading of 7), unless
    the ``hide_connector`` knob plays a server that does not expose it."""
    view = application(store, app)
    if not store.hide_connector:
        connector = app["connector"]
        view["connector"] = {"name": connector["name"], "fileBased": connector["fileBased"],
                             "fileGroups": [dict(group) for group in connector["fileGroups"]]}
    return view


def full_import(store, record):
    return {
        "id": record["id"],
        "kind": "Application Import",
        "number": record["number"],
        "type": record["type"],
        "status": record["status"],
        "createdBy": record["createdBy"],
        "buildStart": stamp(store, record["buildStart"]),
        "buildEnd": stamp(store, record["buildEnd"]),
        "log": record["log"],
        "files": [dict(item) for item in record["files"]],
        "metrics": dict(record["metrics"]) if record["metrics"] is not None else None,
        "application": application(store, store.applications[record["applicationId"]]),
    }


def list_import(store, record):
    view = full_import(store, record)
    return {key: view[key] for key in LIST_FIELDS}


def envelope(rows, page, render):
    """One page of ``rows``, each passed through ``render``; a page past the end has no items but the true totals."""
    total = len(rows)
    items = [render(row) for row in rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]]
    return {"items": items, "totalCount": total, "page": page,
            "pageSize": PAGE_SIZE, "totalPages": (total + PAGE_SIZE - 1) // PAGE_SIZE}
