"""Call a pure function in a helper process that is killed when it overruns its time.

Python-Markdown takes quadratic time or recurses without end on a few kilobytes of crafted
text ("[" repeated, thousands of abbreviations, deep definition lists), and Python code cannot
be interrupted from another thread. So each server process renders in one helper process of
its own (running `serve("module:function")`, talking JSON lines on its standard input
and output), started on first use, killed when a call overruns, started again on the next."""
from __future__ import annotations

import atexit
import importlib
import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

STARTUP_SECONDS = 60  # importing the application in the helper: not part of any call's budget
# The helper imports the target's module without running wiki/__init__.py (the whole
# application, a second to import): an empty package object stands in for it.
HELPER = """import sys, types
package = types.ModuleType("wiki")
package.__path__ = [sys.argv[1]]
sys.modules["wiki"] = package
from wiki.time_limit import serve
serve(sys.argv[2])"""
_PACKAGE_DIR = Path(__file__).resolve().parent


class Overrun(Exception):
    """The call took longer than allowed, or failed in the helper (deep recursion, crash)."""


class TimeLimited:
    """`TimeLimited("wiki.module:function")(*json_args, seconds=1.0)` → its result, or Overrun.
    The module may import only libraries and other wiki modules that do the same."""

    def __init__(self, target: str):
        self._target = target
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._owner_pid = 0
        atexit.register(self._stop)

    def __call__(self, *args, seconds: float):
        with self._lock:
            process = self._started()
            try:
                process.stdin.write(json.dumps(args) + "\n")
                process.stdin.flush()
                if _readable(process.stdout, seconds):
                    ok, value = json.loads(process.stdout.readline())
                    if ok:
                        return value
                    self._stop()  # a failure can leave the library half-way (Markdown's state)
                    raise Overrun(value)
            except (OSError, ValueError) as exc:  # the helper died: out of memory, C stack
                self._stop()
                raise Overrun(f"helper process failed: {exc!r}") from None
            self._stop()
            raise Overrun(f"longer than {seconds} s")

    def _started(self) -> subprocess.Popen:
        # A process forked from the one that started the helper (gunicorn --preload) starts its own.
        if self._process is not None and self._owner_pid == os.getpid() and self._process.poll() is None:
            return self._process
        self._process = None
        process = subprocess.Popen([sys.executable, "-c", HELPER, str(_PACKAGE_DIR), self._target],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                   encoding="utf-8")
        if not _readable(process.stdout, STARTUP_SECONDS) or process.stdout.readline() != "ready\n":
            process.kill()
            process.wait()
            raise Overrun("helper process did not start")
        self._process, self._owner_pid = process, os.getpid()
        return process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and self._owner_pid == os.getpid():
            process.kill()
            process.wait()
            process.stdin.close()
            process.stdout.close()


def _readable(stream, seconds: float) -> bool:
    return bool(select.select([stream], [], [], seconds)[0])


def serve(target: str) -> None:
    """The helper's loop: one JSON list of arguments per line in, [ok, result] per line out."""
    module, _, name = target.partition(":")
    function = getattr(importlib.import_module(module), name)
    print("ready", flush=True)
    for line in sys.stdin:  # ends when the server process closes the pipe (or is gone)
        try:
            reply = [True, function(*json.loads(line))]
        except Exception as exc:  # noqa: BLE001 - reported to the caller, who refuses the text
            reply = [False, f"{type(exc).__name__}: {exc}"[:300]]
        print(json.dumps(reply), flush=True)
