#!/usr/bin/env python3
"""Time the big staff lists against a running server, beside the login page as the floor.

    .venv/bin/python scripts/bench_lists.py http://127.0.0.1:8000 --password '...'
        [--username staff] [--requests 30] [--clients 1 8] [--depth 20] [--term 海鲜]
        [--lists units complaints sampling checks grades]
    .venv/bin/python scripts/bench_lists.py http://127.0.0.1:8000 --password '...' \
        --username leader --lists dashboard   # the leader dashboard, beside the same floor

For each list it times four pages: the first page, a deep page (the cursor reached by following
``下一页`` ``--depth`` times), a street filter (the first street the list's filter offers) and a
name search (``?q=<term>``, where the list has one); on the complaint list, whose ``?q=`` is the
record number, also a search for the last eight characters of a record number read from the deep
page (the part of a number someone types, served by the trigram index). Every timed request is
preceded by a request for the login page, the floor, so both see the same load. Each client is a
thread with its own session (logged in once, as ``--username``, district-wide staff by default);
with ``--clients 1 8`` the pages are timed alone and then with eight clients at once. It prints
p50 and p95 per page and their ratio to the floor's.

The server must run with ``TWO_FACTOR_REQUIRED=false`` (a demo or benchmark database); the
password is the demo account's (``manage.py seed_demo --reset-passwords`` prints new ones). It
uses only the standard library, and works on a small database: a list shorter than ``--depth``
pages times its last page as the deep one.
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from http.cookiejar import CookieJar

LISTS = {
    "units": "/units/",
    "complaints": "/complaints/",
    "sampling": "/sampling/",
    "checks": "/checks/",
    "grades": "/grades/",
    "dashboard": "/dashboard/",  # a leader's page: not in the default lists (--username leader)
}
STAFF_LISTS = ["units", "complaints", "sampling", "checks", "grades"]
FLOOR = "/accounts/login/"
NEXT = re.compile(r'href="\?([^"]*)"\s+rel="next"')
STREET = re.compile(r'<select[^>]*name="jurisdiction"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
SEARCH = re.compile(r'name="q"')
RECORD = re.compile(r'<a href="/complaints/\d+/">([^<]{3,})</a>')


class Session:
    """One client: its own cookies, logged in once."""

    def __init__(self, base: str) -> None:
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise SystemExit(f"{base}: give the server as an http:// or https:// URL")
        self.base = base.rstrip("/")
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode("utf-8"))

    def timed(self, path: str) -> float:
        start = time.perf_counter()
        with self.opener.open(self.base + path, timeout=60) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        return (time.perf_counter() - start) * 1000

    def login(self, username: str, password: str) -> None:
        page = self.get(FLOOR)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no CSRF token on the login page")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.base + FLOOR, data=data, headers={"Referer": self.base + FLOOR}
        )
        with self.opener.open(request, timeout=60) as response:
            landed = response.geturl()
        if landed.rstrip("/").endswith(FLOOR.rstrip("/")):
            raise RuntimeError(
                f"login as {username} failed (wrong password, or two-factor login required)"
            )


def pages_of(session: Session, name: str, path: str, depth: int, term: str) -> dict[str, str]:
    """The four URLs to time for one list, found by reading the list as a user would."""
    first = session.get(path)
    pages = {f"{name}: first page": path}
    deep, body, steps = path, first, 0
    while steps < depth and (found := NEXT.search(body)):
        deep = f"{path}?{html.unescape(found.group(1))}"
        body = session.get(deep)
        steps += 1
    if steps:
        pages[f"{name}: page {steps + 1} by cursor"] = deep
    select = STREET.search(first)
    street = OPTION.search(select.group(1)) if select else None
    if street:
        pages[f"{name}: street filter"] = f"{path}?jurisdiction={street.group(1)}"
    if SEARCH.search(first):
        pages[f"{name}: name search {term}"] = f"{path}?{urllib.parse.urlencode({'q': term})}"
    if name == "complaints" and (record := RECORD.search(body)):
        fragment = html.unescape(record.group(1))[-8:]
        pages[f"{name}: record-number search {fragment}"] = (
            f"{path}?{urllib.parse.urlencode({'q': fragment})}"
        )
    return pages


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run(
    sessions: list[Session], pages: dict[str, str], requests: int
) -> tuple[dict[str, list[float]], list[float]]:
    """Each client requests floor, page, floor, page… ``requests`` times per page."""
    timings: dict[str, list[float]] = defaultdict(list)
    floor: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def client(session: Session) -> None:
        try:
            for label, url in pages.items():
                for _ in range(requests):
                    base = session.timed(FLOOR)
                    took = session.timed(url)
                    with lock:
                        floor.append(base)
                        timings[label].append(took)
        except BaseException as error:  # reported after the threads join
            errors.append(error)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return timings, floor


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="the running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--username", default="staff")
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page/client")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument(
        "--depth", type=int, default=20, help="next pages followed for the deep one"
    )
    parser.add_argument("--term", default="海鲜", help="the name searched for")
    parser.add_argument("--lists", nargs="+", choices=sorted(LISTS), default=STAFF_LISTS)
    args = parser.parse_args()

    scout = Session(args.url)
    scout.login(args.username, args.password)
    pages: dict[str, str] = {}
    for name in args.lists:
        pages.update(pages_of(scout, name, LISTS[name], args.depth, args.term))

    for count in args.clients:
        sessions = [Session(args.url) for _ in range(count)]
        for session in sessions:
            session.login(args.username, args.password)
        for session in sessions:  # warm-up: templates compiled, connections open
            for url in pages.values():
                session.timed(url)
        timings, floor = run(sessions, pages, args.requests)
        floor_p50, floor_p95 = statistics.median(floor), p95(floor)
        print(f"\n{count} client(s), {args.requests} requests per page and client")
        print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'p95/floor':>10}")
        print(f"{'floor (login page)':<44} {floor_p50:>8.1f} {floor_p95:>8.1f} {1:>10.1f}")
        for label, samples in timings.items():
            high = p95(samples)
            print(
                f"{label:<44} {statistics.median(samples):>8.1f} {high:>8.1f}"
                f" {high / floor_p95:>10.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
