"""What the real LiteLLM proxy recorded, for the tests: the test rig's one piece of Python.

A LiteLLM custom logger that appends, for every request LiteLLM logs (success or failure), its
``standard_logging_object`` -- the payload every logging integration and the spend log receive:
request_tags, metadata.spend_logs_metadata, end_user, response_cost, the call id -- as one JSON line
to the file named by LITELLM_RIG_RECORD_FILE. The tests read those lines instead of a database.
"""

import json
import os
import threading

from litellm.integrations.custom_logger import CustomLogger


class RecordingLogger(CustomLogger):
    def __init__(self) -> None:
        super().__init__()
        self._path = os.environ["LITELLM_RIG_RECORD_FILE"]
        self._lock = threading.Lock()

    def _record(self, outcome: str, kwargs: dict) -> None:
        entry = {"outcome": outcome, "standard_logging_object": kwargs.get("standard_logging_object")}
        # default=str: the payload may hold datetimes or enums; the tests read it as text.
        line = json.dumps(entry, default=str) + "\n"
        with self._lock, open(self._path, "a", encoding="utf-8") as out:
            out.write(line)

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        self._record("success", kwargs)

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self._record("failure", kwargs)


recorder = RecordingLogger()
