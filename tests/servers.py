"""The app served for real by gunicorn on 127.0.0.1 (browser tests, several servers on one
database): `gunicorn(env, log)` starts it, waits until it answers, and stops it."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # gunicorn and flask of the same environment as pytest
START_TIMEOUT = 30  # seconds for gunicorn to answer


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def flask(command: str, env: dict, *args: str) -> str:
    """Runs `flask --app wiki command args…`; returns what it printed."""
    return subprocess.run([tool("flask"), "--app", "wiki", command, *args], cwd=ROOT, env=env, check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (code {process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/connexion", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url} within {START_TIMEOUT} s:\n{log.read_text()}")


@contextmanager
def gunicorn(env: dict, log: Path, workers: int = 2):
    """Serves `wiki:create_app()` with `env`; yields its base URL."""
    url = f"http://127.0.0.1:{free_port()}"
    with open(log, "wb") as log_file:
        process = subprocess.Popen([tool("gunicorn"), "-w", str(workers), "-b", url.removeprefix("http://"),
                                    "--access-logfile", "-", "wiki:create_app()"],
                                   cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
