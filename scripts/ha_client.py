"""The drill's users (make ha-drill), over HTTP as a browser: log in with the password and the second factor
(a one-time recovery code, as bench/locustfile.py does), then act through the pages.

  ha_client.py upload URL PROJECT FILE          填报员 uploads a 佐证材料 to an investment project; prints its id
  ha_client.py download URL EVIDENCE FILE       the same user reads it back; exit 1 unless the bytes are FILE's
  ha_client.py probe URL LOG --until EPOCH       领导 opens the home page every 0.2 s, logging "time status retry"
                                                (status 0: no HTTP answer, the error's name follows)
  ha_client.py pay URL LINES ACKS --paid-on DAY  市财政局 pays each allocation line of the file LINES ("line year
                                                unit" rows), logging in ACKS each payment the page confirmed

The second-factor codes come from LOADTEST_CODES (bench_urls / bench_payable --second-factor-codes); every
code is used once, so each login takes the next unused one and records it in the codes file's ".used" list.
Standard library and requests only: no Django, so nothing here sees the database but through the pages.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

import requests

PASSWORD = os.environ.get("BENCH_PASSWORD", "Bench-2020-pass")
RETRY_MARK = "请稍后重试"
PAID_MARK = "已登记拨付。"  # awards.workflow.DISBURSE: the message the page shows once the payment is saved
TIMEOUT = 10
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def next_code(username: str) -> str | None:
    """The next unused recovery code of ``username`` (None for an account without a second factor)."""
    path = Path(os.environ["LOADTEST_CODES"])
    with path.open("r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        codes = json.load(handle)
        spare = codes.get(username) or []
        if not spare:
            return None
        # From the front: the load test (bench/locustfile.py) takes the same accounts' codes from the back.
        code = spare.pop(0)
        handle.seek(0)
        handle.truncate()
        json.dump(codes, handle)
        return code


def _token(page: requests.Response) -> str:
    found = TOKEN.search(page.text)
    if not found:
        raise SystemExit(f"页面 {page.url} 没有表单令牌（状态 {page.status_code}）")
    return found.group(1)


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    answer = session.post(
        f"{base}/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _token(page)},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=TIMEOUT,
    )
    if "/security/verify/" in answer.url:
        code = next_code(username)
        if code is None:
            raise SystemExit(f"{username} 须第二因素认证，但没有可用的恢复码")
        answer = session.post(
            f"{base}/security/verify/",
            {"token": code, "csrfmiddlewaretoken": _token(answer)},
            headers={"Referer": f"{base}/security/verify/"},
            timeout=TIMEOUT,
        )
    if "/accounts/login/" in answer.url or "/security/" in answer.url:
        raise SystemExit(f"{username} 登录失败（{answer.status_code} {answer.url}）")
    return session


def upload(base: str, project: int, file: Path) -> None:
    session = login(base, "bench_reporter")
    detail = session.get(f"{base}/investment/projects/{project}/", timeout=TIMEOUT)
    before = set(re.findall(r"/investment/evidence/(\d+)/", detail.text))
    answer = session.post(
        f"{base}/investment/projects/{project}/evidence/",
        {"csrfmiddlewaretoken": _token(detail)},
        files={"file": (file.name, file.read_bytes(), "application/pdf")},
        headers={"Referer": detail.url},
        timeout=TIMEOUT,
    )
    added = set(re.findall(r"/investment/evidence/(\d+)/", answer.text)) - before
    if answer.status_code != 200 or len(added) != 1:
        raise SystemExit(f"上传未成功：{answer.status_code} {answer.url}")
    print(added.pop())


def download(base: str, evidence: int, file: Path) -> None:
    session = login(base, "bench_reporter")
    answer = session.get(f"{base}/investment/evidence/{evidence}/", timeout=TIMEOUT)
    if answer.status_code != 200 or answer.content != file.read_bytes():
        raise SystemExit(f"下载的内容与上传的不同：{answer.status_code}，{len(answer.content)} 字节")
    print(len(answer.content))


def _retry_page(answer: requests.Response) -> bool:
    return answer.status_code == 503 and RETRY_MARK in answer.text


def _outcome(session: requests.Session, url: str, line: str) -> requests.Response:
    """The page a POST redirected to, as the browser shows it: reloaded while it is the retry page (the
    message the POST left waits in the session's cookie until a page shows it)."""
    for _ in range(60):
        page = session.get(url, timeout=TIMEOUT)
        if not _retry_page(page):
            return page
        print(f"{_now()} {line} retry page (the page after the form)", flush=True)
        time.sleep(0.5)
    return page


def pay(base: str, lines: list[str], acks: Path, paid_on: str, pause: float) -> None:
    """Each line paid through its page, as 市财政局 would: open the unit's page, submit the payment form, read
    the message. The retry page (before or after the form) means "not done, repeat"; a payment counts as
    acknowledged only when the page said so. Any other answer is printed as "other" (the drill fails)."""
    session = login(base, "bench_finance")
    with acks.open("a", encoding="utf-8") as log:
        for row in lines:
            line, year, entity = row.split()
            for _attempt in range(60):
                try:
                    print(f"{_now()} {line} open", flush=True)
                    page = session.get(f"{base}/awards/{year}/entity/{entity}/", timeout=TIMEOUT)
                    answer = page
                    token = TOKEN.search(page.text) if page.status_code == 200 else None
                    if token is not None:
                        print(f"{_now()} {line} submit", flush=True)
                        answer = session.post(
                            f"{base}/awards/lines/{line}/disburse/",
                            {
                                "paid_on": paid_on,
                                "voucher_no": f"DRILL-{line}",
                                "csrfmiddlewaretoken": token.group(1),
                            },
                            headers={"Referer": page.url},
                            timeout=TIMEOUT,
                            allow_redirects=False,
                        )
                        if answer.status_code == 302:
                            answer = _outcome(
                                session, requests.compat.urljoin(page.url, answer.headers["Location"]), line
                            )
                except requests.RequestException as exc:
                    print(f"{_now()} {line} other (no answer: {type(exc).__name__})", flush=True)
                    time.sleep(0.5)
                    continue
                if _retry_page(answer):
                    where = "the unit's page" if answer is page else "the form"
                    print(f"{_now()} {line} retry page ({where})", flush=True)
                    time.sleep(0.5)
                    continue
                if answer.status_code == 200 and PAID_MARK in answer.text:
                    stamp = _now()
                    log.write(f"{line} {stamp}\n")
                    log.flush()
                    os.fsync(log.fileno())
                    print(f"{stamp} {line} acknowledged", flush=True)
                else:
                    print(f"{_now()} {line} other ({answer.status_code} {answer.url})", flush=True)
                break
            time.sleep(pause)


def _now() -> str:
    return datetime.now().astimezone().isoformat()


def probe(base: str, log: Path, until: float) -> None:
    """What a logged-in user sees, five times a second: the home page reads the session, the user and the
    database, so an outage of any of them shows (status 200, or anything else with the retry page or not)."""
    session = login(base, "bench_leader")
    with log.open("a", encoding="utf-8") as out:
        while time.time() < until:
            started = time.time()
            try:
                answer = session.get(f"{base}/", timeout=5, allow_redirects=False)
                status, retry, error = answer.status_code, int(RETRY_MARK in answer.text), ""
            except requests.RequestException as exc:
                status, retry, error = 0, 0, type(exc).__name__
            # Stamped when the answer came: a request sent just before a failure and caught by it counts
            # in that failure's window.
            out.write(f"{time.time():.3f} {status} {retry} {error}\n")
            out.flush()
            time.sleep(max(0.0, 0.2 - (time.time() - started)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["upload", "download", "pay", "probe"])
    parser.add_argument("base")
    parser.add_argument("target")
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("--paid-on")
    parser.add_argument("--until", type=float)
    parser.add_argument("--pause", type=float, default=0.1)
    args = parser.parse_args()
    if args.what == "upload":
        upload(args.base, int(args.target), args.file)
    elif args.what == "download":
        download(args.base, int(args.target), args.file)
    elif args.what == "probe":
        probe(args.base, Path(args.target), args.until)
    else:
        rows = [r for r in Path(args.target).read_text(encoding="utf-8").splitlines() if r.strip()]
        pay(args.base, rows, args.file, args.paid_on, args.pause)


if __name__ == "__main__":
    sys.exit(main())
