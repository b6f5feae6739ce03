"""Start `main.py` on the real functions-framework server, as Cloud Functions does, on 127.0.0.1.

The server runs from the repository root (grouptier is imported from the
source folder, not installed) with a clean environment: no GROUPTIER_,
GOOGLE_ or PYTHONPATH variable of the test run leaks in, only `env`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    """A running functions-framework server and the files its output goes to."""

    url: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> str:
        """Everything the server printed so far, both streams."""
        return self.stdout.read_text(encoding="utf-8") + self.stderr.read_text(encoding="utf-8")

    def log_lines(self, since: int = 0) -> list[str]:
        """Lines of stdout, from line `since`."""
        return self.stdout.read_text(encoding="utf-8").splitlines()[since:]


def serve(target: str, signature: str, env: dict[str, str], tmp: Path) -> Iterator[Server]:
    """Run the function `target` until the generator is closed."""
    port = _free_port()
    binary = Path(sys.executable).parent / "functions-framework"
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "functions_framework"]
    command += ["--target", target, "--source", "main.py", "--signature-type", signature]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GROUPTIER_", "GOOGLE_", "PYTHONPATH"))
    }
    stdout, stderr = tmp / f"{target}.out", tmp / f"{target}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=clean | env, stdout=out, stderr=err)
    try:
        _wait_for(port, process, stderr)
        yield Server(f"http://127.0.0.1:{port}", process, stdout, stderr)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"functions-framework exited: {output.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("functions-framework did not start listening in 60 s")
