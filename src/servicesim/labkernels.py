"""The lab's kernels under Voila: at most ``max_kernels`` at once, each freed when its page closes.

``servicesim lab`` runs Voila through :func:`main` here (``python -m servicesim.labkernels``),
which adds two things to Voila's own machinery:

- :class:`LabKernelManager`, Jupyter's kernel manager refusing the kernel beyond the limit with
  HTTP 503 before anything of the page is sent, so Voila shows its error page "503: The lab is
  full, try again in a minute" instead of a page that slows everyone down;
- :func:`set_xsrf_cookie`, a prelaunch hook giving each page the ``_xsrf`` cookie that Voila's
  page-close request (``POST /voila/api/shutdown/<kernel>``) must carry: Voila 0.5 never sets
  it, so without it the request is refused (403) and the kernel waits for the idle culler
  (voila-dashboards/voila#1458).

It also reads no ``voila.py`` or ``voila.json`` from the folder the lab is started in (Voila
would, and ``python -m`` would import a ``voila.py`` there, hence ``-P`` in the command): that
folder is where the room's uploads land, not code to run.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from jupyter_core.paths import jupyter_config_path
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import HTTPError, RequestHandler
from traitlets import Integer
from traitlets.config import Config

from .labserver import DEFAULT_MAX_SESSIONS

#: What a page beyond the limit says (the error page's heading after "503:").
LAB_FULL = "The lab is full, try again in a minute"
#: Seconds a page request in a full lab waits for kernels that are shutting down.
STOPPING_WAIT = 10.0


class LabKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager with a limit on kernels alive or starting at once."""

    max_kernels = Integer(
        DEFAULT_MAX_SESSIONS,
        config=True,
        help="The most kernels (lab pages) at once; the next page request gets HTTP 503.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.starting = 0  # kernels asked for whose start has not finished yet
        self.stopping: set[str] = set()  # kernels shutting down (their page closed)

    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel, or raise HTTPError 503 if ``max_kernels`` are alive or starting.

        A page reloaded in a full lab closes its old kernel as it asks for the new one: a
        request waits (up to STOPPING_WAIT seconds) for kernels on their way out to go."""
        if kwargs.get("kernel_id") in self._kernels:  # a running kernel: nothing starts
            return await super().start_kernel(**kwargs)
        waited = 0.0
        while self.full() and self.stopping and waited < STOPPING_WAIT:
            await asyncio.sleep(0.1)
            waited += 0.1
        if self.full():
            self.log.warning("The lab is full: %d kernels; a page was refused", len(self))
            raise HTTPError(503, reason=LAB_FULL)
        self.starting += 1
        try:
            return await super().start_kernel(**kwargs)
        finally:
            self.starting -= 1

    async def shutdown_kernel(  # type: ignore[override]
        self, kernel_id: str, *args: Any, **kwargs: Any
    ) -> None:
        """Shut a kernel down, marking it as on its way out meanwhile."""
        self.stopping.add(kernel_id)
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self.stopping.discard(kernel_id)

    def full(self) -> bool:
        """Whether ``max_kernels`` kernels are alive (shutting down included) or starting."""
        return len(self) + self.starting >= self.max_kernels


def set_xsrf_cookie(handler: RequestHandler, notebook: Any, cwd: str) -> None:
    """Voila's prelaunch hook: reading the token makes Tornado send the ``_xsrf`` cookie with
    the page, which the page's shutdown request on closing carries back."""
    handler.xsrf_token  # noqa: B018 (read for its side effect)


def main(argv: list[str] | None = None) -> None:
    """Run Voila with ``argv`` (default: the command line), the hook and the config paths."""
    from voila.app import Voila

    config = Config()
    config.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
    config.Voila.config_file_paths = jupyter_config_path()  # not the current folder
    Voila.launch_instance(sys.argv[1:] if argv is None else argv, config=config)


if __name__ == "__main__":
    main()
