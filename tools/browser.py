"""Open a local page in headless Chromium: its DOM, its console, a screenshot.

Debian's ``chromium`` (``make install-browser``) run headless with a virtual
time budget, so that a page's scripts (the dbt docs site is an Angular app)
finish before the DOM is dumped. Console messages are read from Chromium's
log on stderr (``--enable-logging=stderr --v=0``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: Chromium's names on Debian and elsewhere, tried in order.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
# "[...:INFO:CONSOLE(12)] "message", source: file:///x.html (12)" (older
# builds) or "[...:INFO:CONSOLE:...] "message", source: ..." (newer ones)
_CONSOLE = re.compile(r':CONSOLE[(:][^\]]*\] "(?P<message>.*)", source: (?P<source>.*)')


def find_chromium() -> str:
    """The path of a Chromium on PATH.

    Raises
    ------
    FileNotFoundError
        Naming the make target that installs it.
    """
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise FileNotFoundError(
        "no chromium on PATH: run make install-browser (apt-get install chromium)"
    )


def console_messages(log: str) -> list[str]:
    """The page's console messages in a Chromium log.

    Examples
    --------
    >>> console_messages('[1:2:INFO:CONSOLE(3)] "Uncaught boom", source: a.html (3)')
    ['Uncaught boom']
    >>> console_messages("[1:2:WARNING:gpu.cc(1)] no GPU")
    []
    """
    return [m.group("message") for m in _CONSOLE.finditer(log)]


@dataclass
class Page:
    """What Chromium made of a page: the DOM after scripts, the console
    messages, and the screenshot's path (or None)."""

    dom: str
    console: list[str]
    screenshot: Path | None
    log: str = field(repr=False, default="")


def open_page(
    url: str,
    screenshot: Path | None = None,
    window: tuple[int, int] = (1280, 1600),
    budget_ms: int = 5000,
    timeout: int = 120,
) -> Page:
    """Load ``url`` (a ``file://`` URL, fragment allowed) in headless Chromium.

    Two runs of Chromium: ``--dump-dom`` and, when ``screenshot`` is given,
    ``--screenshot`` (Chromium does one of them per run). Each has its own
    throw-away profile, so no state leaks between tests.
    """
    chromium = find_chromium()

    def run(extra: list[str]) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory(prefix="chromium_") as profile:
            return subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--hide-scrollbars",
                    f"--user-data-dir={profile}",
                    f"--window-size={window[0]},{window[1]}",
                    f"--virtual-time-budget={budget_ms}",
                    "--enable-logging=stderr",
                    "--v=0",
                    *extra,
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )

    dumped = run(["--dump-dom"])
    if dumped.returncode != 0:
        raise RuntimeError(
            f"chromium failed on {url} ({dumped.returncode}): {dumped.stderr[-2000:]}"
        )
    log = dumped.stderr
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        shot = run([f"--screenshot={screenshot}"])
        log += shot.stderr
        if shot.returncode != 0 or not screenshot.exists():
            raise RuntimeError(f"chromium wrote no screenshot of {url}: {shot.stderr}")
    return Page(dumped.stdout, console_messages(log), screenshot, log)


class _SectionCounter(HTMLParser):
    """Counts elements by tag inside each <section id=...>."""

    def __init__(self, tags: tuple[str, ...]) -> None:
        super().__init__()
        self.tags = tags
        self.counts: dict[str, int] = {}
        self.expected: dict[str, int] = {}
        self._stack: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("id"):
            self._stack.append(attributes["id"])
            self.counts.setdefault(attributes["id"], 0)
            if attributes.get("data-charts") is not None:
                self.expected[attributes["id"]] = int(attributes["data-charts"])
        elif tag == "section":
            self._stack.append(None)
        if tag in self.tags:
            current = next((s for s in reversed(self._stack) if s), None)
            if current is not None:
                self.counts[current] += 1

    def handle_endtag(self, tag):
        if tag == "section" and self._stack:
            self._stack.pop()


def charts_per_section(
    dom: str, tags: tuple[str, ...] = ("svg", "canvas")
) -> tuple[dict[str, int], dict[str, int]]:
    """Rendered charts (<svg>, <canvas>) per <section id>, and the number each
    section announces in its ``data-charts`` attribute.

    Examples
    --------
    >>> charts_per_section('<section id="a" data-charts="1"><svg></svg></section>'
    ...                    '<section id="b" data-charts="0"><p>x</p></section>')
    ({'a': 1, 'b': 0}, {'a': 1, 'b': 0})
    """
    counter = _SectionCounter(tags)
    counter.feed(dom)
    return counter.counts, counter.expected
