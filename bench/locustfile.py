"""Locust users for bench/load.py: residents reading and commenting, officials reading the summary.

BENCH_ROUND (slug), BENCH_REPORT (slug of a reported round), BENCH_THREADS (comma-separated ids),
BENCH_OFFICIAL / BENCH_PASSWORD and BENCH_THINK ("min,max" seconds) come from the environment.
BENCH_MODE: "mixed" (default) reads and writes as residents and officials do; "pages" reads the
round, thread, section and report pages with no pause, for the highest rate; "hello" asks for
/healthz only, with no pause: the bare rate of the same server. FastHttpUser keeps Locust's own
share of the two cores small.
"""

import os
import random
import re
import uuid

from locust import FastHttpUser, between, task

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ROUND = os.environ.get("BENCH_ROUND", "big")
REPORT = os.environ.get("BENCH_REPORT", "crisis-response-budget-2026")
THREADS = [int(i) for i in os.environ.get("BENCH_THREADS", "1").split(",")]
THINK = [float(s) for s in os.environ.get("BENCH_THINK", "0.1,0.5").split(",")]  # seconds between a user's requests
MODE = os.environ.get("BENCH_MODE", "mixed")


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    return match.group(1) if match else ""


class Reader(FastHttpUser):
    """A resident reading: the round page, a thread, the public report, a section."""

    abstract = True
    wait_time = between(*THINK)

    @task(4)
    def round_page(self):
        self.client.get(f"/rounds/{ROUND}", name="round page")

    @task(3)
    def thread_page(self):
        self.client.get(f"/rounds/{ROUND}/comments/{random.choice(THREADS)}", name="thread page")

    @task(2)
    def public_report(self):
        self.client.get(f"/rounds/{REPORT}/report", name="public report")


if MODE == "hello":
    class Hello(FastHttpUser):
        wait_time = between(0, 0)

        @task
        def hello(self):
            self.client.get("/healthz")
elif MODE == "pages":
    class FastReader(Reader):
        wait_time = between(0, 0)

        @task(1)
        def section_page(self):
            self.client.get(f"/rounds/{ROUND}/sections/2", name="section page")
else:
    class Resident(Reader):
        weight = 9

        @task(1)
        def submit(self):
            token = _csrf(self.client.get(f"/rounds/{ROUND}/sections/2", name="section page"))
            # A comment on the whole policy (no section_id), as from the round page.
            data = {"csrf_token": token, "body": f"Load test comment {uuid.uuid4().hex}: please publish response times.",
                    "idempotency_key": uuid.uuid4().hex, "stance": "support"}
            with self.client.post(f"/rounds/{ROUND}/comments", data=data, allow_redirects=False, name="submit comment",
                                  catch_response=True) as response:
                if response.status_code == 302 and "/comments/receipt/" in response.headers.get("Location", ""):
                    response.success()
                    with open(os.environ["BENCH_KEYS"], "a") as keys:
                        keys.write(data["idempotency_key"] + "\n")
                else:
                    response.failure(f"not accepted: {response.status_code}")

    class Official(FastHttpUser):
        weight = 1
        wait_time = between(*THINK)

        def on_start(self):
            token = _csrf(self.client.get("/account/login", name="login page"))
            self.client.post("/account/login", name="login", data={
                "csrf_token": token, "email": os.environ["BENCH_OFFICIAL"], "password": os.environ["BENCH_PASSWORD"]})

        @task
        def summary(self):
            self._summary(f"/reports/{ROUND}/summary", "summary page")

        @task
        def filtered_summary(self):
            """The summary narrowed as officials narrow it first: one stance or one section (of the 8)."""
            one = random.choice([f"stance={s}" for s in ("support", "oppose", "mixed", "unclear")]
                                + [f"section={n}" for n in range(1, 9)])
            self._summary(f"/reports/{ROUND}/summary?{one}", "summary page, one filter")

        def _summary(self, path: str, name: str):
            with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
