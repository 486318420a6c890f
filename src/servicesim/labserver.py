"""Serving the what-if lab to a room: the Voila command with the limits that keep one machine up.

Each page of the lab is a Python kernel of about 230 MB. Voila's own mechanisms hand them back:
a page that closes shuts its kernel down (Voila's ``beforeunload`` request; see
:mod:`servicesim.labkernels` for the cookie it needs), and Jupyter's culler
shuts down, after the idle time, every kernel that no page is connected to any more (a page
fetched but never opened, a browser that crashed, a network that dropped). A page that stays
open keeps its kernel, however long the room discusses. At most ``max_sessions`` kernels run
at once: the next page gets "The lab is full" (HTTP 503) from
:class:`servicesim.labkernels.LabKernelManager`, until a page closes or a kernel is culled.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .checks import check_replications

LAB_NOTEBOOK = Path(__file__).parent / "app" / "what-if-lab.ipynb"
#: Pages (kernels) at once by default: about 8 x 230 MB, under 2 GB of a 4 GB laptop, and as
#: many people moving levers as 2 cores answer in a few seconds.
DEFAULT_MAX_SESSIONS = 8
#: The most pages ``--max-sessions`` may allow.
MAX_SESSIONS = 200
#: Minutes a kernel with no page connected is kept, by default.
DEFAULT_IDLE_MINUTES = 10.0
#: The shortest and longest idle time allowed, in minutes (0.05: 3 seconds, for tests).
IDLE_MINUTES_RANGE = (0.05, 24 * 60.0)
#: Serve on this machine only, unless ``--host`` says otherwise.
DEFAULT_HOST = "127.0.0.1"


def check_idle_minutes(minutes: object, name: str = "--idle-minutes") -> float:
    """Return ``minutes`` if it is a number in IDLE_MINUTES_RANGE, else a ValueError."""
    low, high = IDLE_MINUTES_RANGE
    number = isinstance(minutes, int | float) and not isinstance(minutes, bool)
    if not number or not low <= float(minutes) <= high:  # type: ignore[arg-type]
        raise ValueError(
            f"{name}={minutes!r} is not allowed; expected a number of minutes in [{low}, {high:g}]"
        )
    return float(minutes)  # type: ignore[arg-type]


def check_host(host: object, name: str = "--host") -> str:
    """Return ``host`` if it looks like an address or a host name to listen on."""
    text = str(host)
    allowed = text and all(c.isalnum() or c in ".-:[]" for c in text) and len(text) <= 253
    if not isinstance(host, str) or not allowed:
        raise ValueError(
            f"{name}={host!r} is not allowed; expected an address such as 127.0.0.1 (this "
            "machine only) or 0.0.0.0 (every network this machine is on)"
        )
    return text


def check_listenable(host: str, name: str = "--host") -> str:
    """Return ``host`` if this machine can listen on it (an address of one of its networks, or
    a name for one), found before the server starts so a typo is one line, not Voila's
    traceback."""
    import socket

    try:
        family, kind, _, _, address = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.bind(address)
    except (OSError, UnicodeError) as err:
        raise ValueError(
            f"{name}={host!r} is not allowed: this machine cannot listen there ({err}); expected "
            "one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        ) from None
    return host


def voila_command(
    port: int,
    *,
    host: str = DEFAULT_HOST,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    browser: bool = False,
) -> list[str]:
    """The Voila command that serves the lab on ``host:port`` within these limits."""
    check_replications(port, "--port", low=1, high=65535)
    check_host(host)
    check_replications(max_sessions, "--max-sessions", low=1, high=MAX_SESSIONS)
    idle_seconds = max(1, round(check_idle_minutes(idle_minutes) * 60))
    manager = "MappingKernelManager"
    return [
        sys.executable,
        "-P",  # import nothing from the current folder (the room's uploads are there)
        "-m",
        "servicesim.labkernels",  # Voila, with the lab's kernel manager and hook
        str(LAB_NOTEBOOK),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--ServerApp.port_retries=0",
        "--VoilaConfiguration.multi_kernel_manager_class=servicesim.labkernels.LabKernelManager",
        f"--LabKernelManager.max_kernels={max_sessions}",
        f"--{manager}.cull_idle_timeout={idle_seconds}",
        # Look often enough that a kernel goes within a quarter of the idle time after it.
        f"--{manager}.cull_interval={max(1, min(60, idle_seconds // 4))}",
        f"--{manager}.cull_connected=False",  # an open page keeps its kernel
        *([] if browser else ["--no-browser"]),
    ]
