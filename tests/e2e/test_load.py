"""The role over 1,000 applications: every result accounted for, within the per-application request budget."""

import json

from pa_testlib import include_role, role_playbook, run_playbook, start_emulator
from pa_emulator.seed import extra_application_id

COUNT = 1000
REPORT_TASK = {"ansible.builtin.copy": {
    "content": "{{ {'results': stage_imports_results, 'summary': stage_imports_summary} | to_json }}",
    "dest": "{{ report }}", "mode": "0600"}}


def test_role_over_a_thousand_applications(tmp_path):
    emulator = start_emulator(extra_applications=COUNT, worker_paused=True)
    try:
        apps = [extra_application_id(index) for index in range(1, COUNT + 1)]
        apps[10] = "Card Issuing"  # one failure among them (no import schedule: 422)
        playbook = tmp_path / "load.yml"
        playbook.write_text(role_playbook(
            include_role("stage_imports", stage_imports_applications="{{ apps }}",
                         stage_imports_reuse_pending="{{ reuse | bool }}", stage_imports_fail_on_error=False),
            REPORT_TASK))
        items = [app if index != 10 else {"name": app} for index, app in enumerate(apps)]
        budgets = {False: 1.0, True: 3.0}
        for reuse in (False, True):
            report = tmp_path / "report-{0}.json".format(reuse)
            before = emulator.stats()
            process = run_playbook(emulator, playbook, {"apps": items, "reuse": reuse, "report": str(report)})
            assert process.returncode == 0, process.stdout[-3000:]
            after = emulator.stats()
            data = json.loads(report.read_text())
            results = data["results"]
            assert len(results) == COUNT
            assert [row["application_id"] for row in results if row["application_id"]][:10] == apps[:10]
            assert [row["application_name"] for row in results if row["failed"]] == ["Card Issuing"]
            listing = "GET /api/applications"  # the one name in the list is resolved by walking the applications
            requests = (after["total"] - after["requests"].get(listing, 0)) - (before["total"] - before["requests"].get(listing, 0))
            assert requests <= budgets[reuse] * COUNT, (reuse, requests)
            if not reuse:
                assert data["summary"] == {"requested": COUNT, "staged": COUNT - 1, "reused": 0, "failed": 1}
                assert after["imports_created"] - before["imports_created"] == COUNT - 1
            else:  # everything staged by the first run is still Pending: reused, nothing new
                assert data["summary"] == {"requested": COUNT, "staged": 0, "reused": COUNT - 1, "failed": 1}
                assert after["imports_created"] == before["imports_created"]
    finally:
        emulator.stop()
