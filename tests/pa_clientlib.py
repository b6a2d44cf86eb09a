"""The collection's API client pointed at an emulator, with retries that do not sleep (for in-process tests)."""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import Client, RetryPolicy

from pa_testlib import TOKEN

STAGE = "^/api/application-imports/stage$"
LIST = "^/api/application-imports$"


def make_api(emulator, token=TOKEN, retries=2, timeout=5.0):
    sleeps = []
    client = Client(emulator.url, token, timeout=timeout, retry_policy=RetryPolicy(retries=retries, max_delay=0.05),
                    sleep=sleeps.append)
    api = PermissionAssistApi(client)
    api.sleeps = sleeps
    return api
