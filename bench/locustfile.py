"""50 simulated users mixing the main pages of all four apps (make loadtest)."""

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["LOADTEST_URLS"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = os.environ.get("BENCH_PASSWORD", "Bench-2020-pass")
# Recovery codes of the accounts with a second factor (bench_urls --second-factor-codes): one per login.
_CODES_FILE = os.environ.get("LOADTEST_CODES")
CODES = json.loads(open(_CODES_FILE, encoding="utf-8").read()) if _CODES_FILE else {}  # noqa: SIM115
_accounts = itertools.cycle(sorted(PLAN))


# FastHttpUser: the load generator shares the machine with the server, so it should cost it little CPU.
class OfficeUser(FastHttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.username = next(_accounts)
        self.urls = PLAN[self.username]
        page = self.client.get("/accounts/login/", name="login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        if self.username in CODES:
            page = self.client.get("/security/verify/", name="login")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            self.client.post(
                "/security/verify/",
                {"token": CODES[self.username].pop(), "csrfmiddlewaretoken": token},
                headers={"Referer": f"{self.host}/security/verify/"},
                name="login",
            )

    @task
    def browse(self):
        url = random.choice(self.urls)
        # Group detail pages by their URL shape so the report stays readable.
        self.client.get(url, name=re.sub(r"/\d+/", "/<id>/", url))
