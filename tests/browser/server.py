"""A real ``streamlit run app.py`` on a free loopback port, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).parents[2]
STARTUP_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    db_path: Path, env: Mapping[str, str] | None = None, cwd: Path = ROOT, port: int | None = None
) -> Iterator[str]:
    """Run the dashboard on ``db_path`` until the block ends; yields its base URL.

    ``env`` adds variables (e.g. the sign-in configuration); ``cwd`` is where Streamlit
    looks for ``.streamlit/`` (the sign-in tests give it a folder of their own); ``port``
    is a free port chosen beforehand (``free_port()``) when the caller must know the URL
    before the start, e.g. to write the sign-in redirect URI into the secrets.
    """
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    variables = {**os.environ, "INFOINT_DB": str(db_path), "PYTHONPATH": str(ROOT), **(env or {})}
    log = db_path.with_suffix(".server.log")
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=variables, stdout=sink, stderr=sink)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer within {STARTUP_TIMEOUT_S} s")
