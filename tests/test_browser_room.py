"""A room on one lab: `servicesim lab` under 30 sessions gives its memory back and stays within
its limit.

Short limits for the test (4 pages at once, a kernel freed 9 s after its page is gone):
Chromium pages open, one page too many gets "The lab is full" while a reloaded page does not,
the pages close; then bare HTTP requests of the page (people who fetch it and leave) come as a
room does, retrying when the lab is full. The server's kernels are counted and its memory
summed over its process tree, as the operating system sees them; nothing is written where the
kernels run. Each page's time to its first numbers is printed, not asserted. A second test
serves the lab with ``--host`` on this machine's network address.
"""

from __future__ import annotations

import contextlib
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from test_browser import CHROMIUM, SERVERS, need_chromium, serve

from servicesim.labkernels import LAB_FULL
from servicesim.labserver import LAB_NOTEBOOK

pytestmark = pytest.mark.slow
# 9 seconds: short, but long enough for a page on a busy machine to connect to its kernel
# after the server ran it (a kernel no page is connected to is culled after the idle time).
MAX_SESSIONS, IDLE_MINUTES = 4, 0.15
PAGES, REQUESTS = 4, 26  # 30 sessions
MB = 2**20


@pytest.fixture
def room_url(tmp_path: Path):
    # A Voila config file in the folder the lab is started in is the room's, not the lab's.
    (tmp_path / "voila.py").write_text("open('voila-py-ran', 'w').close()\n", encoding="utf-8")
    command = [sys.executable, "-m", "servicesim.cli", "lab"]
    command += ["--max-sessions", str(MAX_SESSIONS), "--idle-minutes", str(IDLE_MINUTES)]
    yield from serve([*command, "--port"], tmp_path)


def server_tree(url: str) -> list[psutil.Process]:
    """The server's processes: the command, Voila, and every kernel it started."""
    top = psutil.Process(SERVERS[url].pid)
    return [top, *top.children(recursive=True)]


def kernel_files(url: str) -> list[str]:
    """The connection file of each kernel alive under the server (it names the kernel), as
    the operating system lists them. Once each: a process a kernel forks (to run a command)
    has the kernel's command line until it runs its own."""
    found = set()
    for process in server_tree(url):
        with contextlib.suppress(psutil.NoSuchProcess):
            command = process.cmdline()
            if any("ipykernel_launcher" in part for part in command):
                found.add(Path(command[-1]).name)
    return sorted(found)


def kernels(url: str) -> int:
    """How many kernels are alive under the server."""
    return len(kernel_files(url))


def rss_mb(url: str) -> float:
    """The server's resident memory, summed over its process tree, in MB."""
    total = 0
    for process in server_tree(url):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / MB


def files_under(folder: Path) -> dict[str, float]:
    """Every file under ``folder`` with the time it was last written."""
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


def wait_for_kernels(url: str, at_most: int, seconds: float) -> float:
    """Wait until at most ``at_most`` kernels are alive; the seconds it took."""
    start = time.monotonic()
    while kernels(url) > at_most:
        assert time.monotonic() - start < seconds, (
            f"{kernels(url)} kernels still alive {seconds:.0f} s on (expected <= {at_most})"
        )
        time.sleep(0.25)
    return time.monotonic() - start


def fetch(url: str) -> tuple[int, str]:
    """GET the page as a bare HTTP client: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=120) as reply:
            return reply.status, reply.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode("utf-8", errors="replace")


class Watch:
    """Samples the server every 0.2 s in a thread: the most kernels alive at once, and the
    most memory."""

    def __init__(self, url: str) -> None:
        self.url, self.most_kernels, self.most_mb = url, 0, rss_mb(url)
        self.most_alive: list[str] = []  # the kernels alive when most were
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        while not self.done.is_set():
            alive = kernel_files(self.url)
            if len(alive) > self.most_kernels:
                self.most_kernels, self.most_alive = len(alive), alive
            self.most_mb = max(self.most_mb, rss_mb(self.url))
            time.sleep(0.2)

    def __enter__(self) -> Watch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


def pages_fill_the_lab_then_close(url: str, folder: Path) -> None:
    """Chromium pages up to the limit; one more is told the lab is full, a reload is not; the
    pages close."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            # One context for every page: closing a page leaves the browser running, as
            # closing a tab does, so the page's shutdown request goes out.
            tabs = browser.new_context(viewport={"width": 1280, "height": 800})
            shutdowns: list[str] = []
            tabs.on("request", lambda r: shutdowns.append(r.url) if "api/shutdown" in r.url else 0)
            pages = []
            first = re.compile("first|settled")  # one simulated day shown, or all of them
            for n in range(1, PAGES + 1):  # a table of people opening the lab one by one
                page = tabs.new_page()
                at = time.monotonic()
                page.goto(url, wait_until="commit", timeout=120_000)
                nps = page.locator(".servicesim-nps")
                expect(nps).to_have_attribute("data-state", first, timeout=180_000)
                print(f"Chromium page {n}: first numbers after {time.monotonic() - at:.1f} s")
                pages.append(page)
            assert kernels(url) == MAX_SESSIONS, "each open page holds its kernel"

            status, body = fetch(url)  # one page too many
            assert status == 503 and LAB_FULL in body, f"page 5 got {status}: {body[:300]}"
            late = tabs.new_page()
            response = late.goto(url, timeout=60_000)
            assert response is not None and response.status == 503, "page 5 in Chromium"
            expect(late.get_by_text(LAB_FULL)).to_be_visible()
            late.close()
            assert kernels(url) == MAX_SESSIONS, "the refused pages started no kernel"

            # Reloading a page in a full lab (plan B's advice): its old kernel makes way.
            at = time.monotonic()
            response = pages[0].reload(timeout=120_000)
            assert response is not None and response.status == 200, "a reload in a full lab"
            expect(pages[0].locator(".servicesim-nps")).to_have_attribute(
                "data-state", first, timeout=180_000
            )
            print(f"Chromium page 1 reloaded: first numbers after {time.monotonic() - at:.1f} s")
            wait_for_kernels(url, MAX_SESSIONS, seconds=30)

            for page in pages:  # as a person closes the tab
                page.close(run_before_unload=True)
            took = wait_for_kernels(url, 0, seconds=30)
            print(f"the closed pages' kernels shut down within {took:.1f} s")
        finally:
            browser.close()
    closed = PAGES + 1  # and the page reloaded
    assert len(shutdowns) == closed, f"{len(shutdowns)} of {closed} closed pages asked to shut down"
    log = (folder / "voila.log").read_text()
    assert "403 POST /voila/api/shutdown" not in log, "the server refused a page's shutdown"


def people_fetch_the_page_and_leave(url: str) -> list[float]:
    """Bare HTTP requests of the page, arriving over a few seconds and retrying while the lab
    is full; the seconds each served page took."""
    served, refused, times, wrong = [], [0], [], []
    lock = threading.Lock()

    def person() -> None:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            asked = time.monotonic()
            status, body = fetch(url)
            with lock:
                if status == 200:
                    times.append(time.monotonic() - asked)
                    served.append("application/vnd.jupyter.widget-view+json" in body)
                    return
                if status != 503 or LAB_FULL not in body:
                    wrong.append(f"{status}: {body[:300]}")
                    return
                refused[0] += 1
            time.sleep(2.5)  # "try again in a minute": a person waits a little

    people = [threading.Thread(target=person) for _ in range(REQUESTS)]
    for n, someone in enumerate(people):
        someone.start()
        if n % 3 == 2:
            time.sleep(1)
    for someone in people:
        someone.join()
    print(f"{len(served)} bare requests served ({refused[0]} times told the lab is full)")
    assert not wrong, f"neither a lab page nor 'the lab is full': {wrong[0]}"
    assert len(served) == REQUESTS and all(served), "every request got a lab page in the end"
    return times


def test_thirty_sessions_stay_within_the_limit_and_the_server_gives_its_memory_back(
    room_url: str, tmp_path: Path
) -> None:
    need_chromium()
    app_files = files_under(LAB_NOTEBOOK.parent)  # where the kernels run
    # The request that told `serve` the lab is up left a kernel: it goes after the idle time.
    took = wait_for_kernels(room_url, 0, seconds=60)
    print(f"\nthe start-up request's kernel culled after {took:.1f} s")
    with Watch(room_url) as watch:
        start_mb = watch.most_mb
        pages_fill_the_lab_then_close(room_url, tmp_path)
        times = people_fetch_the_page_and_leave(room_url)
    print(f"bare requests rendered in {min(times):.1f}-{max(times):.1f} s")
    assert watch.most_kernels <= MAX_SESSIONS, f"kernels at once: {watch.most_alive}"

    took = wait_for_kernels(room_url, 0, seconds=IDLE_MINUTES * 60 + 20)
    end_mb = rss_mb(room_url)
    print(
        f"kernels all culled {took:.1f} s after the last request; most at once "
        f"{watch.most_kernels}; server memory {start_mb:.0f} MB at the start, "
        f"{watch.most_mb:.0f} MB at the most, {end_mb:.0f} MB after"
    )
    assert end_mb < start_mb + 100, f"{end_mb:.0f} MB after, {start_mb:.0f} MB at the start"
    culled = (tmp_path / "voila.log").read_text().count("Culling 'idle' kernel")
    assert culled >= REQUESTS, f"{culled} kernels culled when idle, for {REQUESTS} requests"
    assert files_under(LAB_NOTEBOOK.parent) == app_files, "nothing written where kernels run"
    assert not (tmp_path / "voila-py-ran").exists(), "the folder's voila.py was run"


def this_machines_address() -> str:
    """An IPv4 address of this machine other than loopback (what a room's laptops reach)."""
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return address.address
    pytest.skip("this machine has no network address but loopback")


@pytest.fixture
def host_url(tmp_path: Path):
    host = this_machines_address()
    command = [sys.executable, "-m", "servicesim.cli", "lab", "--host", host, "--port"]
    yield from serve(command, tmp_path, host=host)


def test_host_serves_the_lab_on_that_address_and_says_what_that_exposes(
    host_url: str, tmp_path: Path
) -> None:
    """``--host ADDRESS``: the room reaches the lab there (and only there), and the command
    says that anyone who reaches the machine can use it."""
    status, body = fetch(host_url)
    assert status == 200 and "application/vnd.jupyter.widget-view+json" in body
    port = host_url.rstrip("/").rsplit(":", 1)[1]
    with pytest.raises(urllib.error.URLError):  # not on loopback: only the address asked for
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
    said = " ".join((tmp_path / "voila.log").read_text().split())
    assert "anyone who can reach this machine on port" in said, said[:500]
    assert "upload designs into" in said and "At most 8 pages at once" in said, said[:500]
