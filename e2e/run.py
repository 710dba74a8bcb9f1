"""`make e2e`: the bot, the Agents Playground and headless Chromium, one whole iteration.

Runs itself again inside a new network namespace that has only a loopback interface (`unshare
-n`; `unshare -rn` when not root), so nothing it starts can reach another host: the Playground's
telemetry and the page's font and script CDNs fail there. Inside, it starts the bot on a temporary
data directory and the Playground pointed at it, each on a port the OS chose, and runs
`iteration.mjs`, which drives the page. Logs and screenshots go to build/e2e/. Every process it
started is stopped when it ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E2E = ROOT / "e2e"
OUT = ROOT / "build" / "e2e"
PLAYGROUND = E2E / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
INSIDE = "CSF_E2E_NAMESPACE"
START_TIMEOUT_S = 60.0


def main() -> int:
    """Re-run inside a loopback-only network namespace, then run the scenario there."""
    if os.environ.get(INSIDE) != "1":
        unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
        env = {**os.environ, INSIDE: "1"}
        return subprocess.call([*unshare, sys.executable, __file__, *sys.argv[1:]], env=env)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    signal.signal(signal.SIGTERM, _stop)
    with ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="csf-e2e-"))
        bot_port, playground_port = _free_port(), _free_port()
        bot = f"http://127.0.0.1:{bot_port}"
        stack.enter_context(
            _process(
                "bot",
                [sys.executable, str(ROOT / "app.py")],
                {
                    "HOST": "127.0.0.1",
                    "PORT": str(bot_port),
                    "DATA_DIR": data_dir,
                    "REMINDERS_ENABLED": "false",
                    "MicrosoftAppId": "",
                },
            )
        )
        _wait_for(f"{bot}/healthz")
        playground = f"http://127.0.0.1:{playground_port}/"
        stack.enter_context(
            _process(
                "playground",
                [
                    "node",
                    str(PLAYGROUND),
                    "--app-endpoint",
                    f"{bot}/api/messages",
                    "--channel-id",
                    "msteams",
                    "--port",
                    str(playground_port),
                    "--disable-telemetry",
                ],
                {"TEAMSAPPTESTER_BROWSER": "none"},
                cwd=OUT,  # it writes devTools/ into its working directory
            )
        )
        _wait_for(playground)
        started = time.monotonic()
        code = subprocess.call(["node", str(E2E / "iteration.mjs"), playground, str(OUT)], cwd=E2E)
        verdict = "passed" if code == 0 else f"FAILED (exit {code}); logs in {OUT}"
        sys.stdout.write(f"e2e {verdict} in {time.monotonic() - started:.0f} s\n")
        return code


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _free_port() -> int:
    """A port the OS chose on 127.0.0.1 (the namespace is ours alone, so it stays free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _process(
    name: str, command: list[str], env: dict[str, str], cwd: Path = ROOT
) -> Iterator[None]:
    """Run a server with its output in build/e2e/<name>.log; stop it when the block ends."""
    with (OUT / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(url: str) -> None:
    """Poll a URL until it answers 200."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {START_TIMEOUT_S:.0f} s")
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
