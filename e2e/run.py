"""`make e2e`: the bot, the Agents Playground and headless Chromium, one whole iteration in
English, then one in German (`run.py [en] [de]` runs the passes named).

Runs itself again inside a new network namespace that has only a loopback interface (`unshare
-n`; `unshare -rn` when not root), so nothing it starts can reach another host: the Playground's
telemetry and the page's font and script CDNs fail there. Inside, for each language it starts
the bot on a temporary data directory and the Playground pointed at it, each on a port the OS
chose, and runs `iteration.mjs`, which drives the page (with the vocabulary of `languages.py`,
to find the other language on the screen). Logs and screenshots go to build/e2e/<language>/.
Every process it started is stopped when it ends.
"""

from __future__ import annotations

import json
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

from languages import vocabulary  # e2e/languages.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
E2E = ROOT / "e2e"
OUT = ROOT / "build" / "e2e"
PLAYGROUND = E2E / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
INSIDE = "CSF_E2E_NAMESPACE"
START_TIMEOUT_S = 60.0
LANGUAGES = ("en", "de")  # a German pass: the user types `sprache de` first


def main() -> int:
    """Re-run inside a loopback-only network namespace, then run each language's pass there."""
    languages = sys.argv[1:] or list(LANGUAGES)
    if unknown := set(languages) - set(LANGUAGES):
        raise SystemExit(f"unknown language {' '.join(sorted(unknown))}; known: {LANGUAGES}")
    if os.environ.get(INSIDE) != "1":
        unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
        env = {**os.environ, INSIDE: "1"}
        return subprocess.call([*unshare, sys.executable, __file__, *languages], env=env)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    signal.signal(signal.SIGTERM, _stop)
    codes = [_run_pass(language, OUT / language) for language in languages]
    return max(codes)


def _run_pass(language: str, out: Path) -> int:
    """One user's whole scenario in `language`, on a bot and a Playground of its own."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    words = out / "vocabulary.json"
    words.write_text(json.dumps(vocabulary(), ensure_ascii=False))
    scenario = ["node", str(E2E / "iteration.mjs"), "PLAYGROUND", str(out), language, str(words)]
    with ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="csf-e2e-"))
        bot_port, playground_port = _free_port(), _free_port()
        bot = f"http://127.0.0.1:{bot_port}"
        stack.enter_context(
            _process(
                out / "bot.log",
                [sys.executable, str(ROOT / "app.py")],
                {
                    "HOST": "127.0.0.1",
                    "PORT": str(bot_port),
                    "DATA_DIR": data_dir,
                    # Reminders sent as soon as due, any day and hour (the renewal step's card)
                    "REMINDERS_ENABLED": "true",
                    "REMINDER_SWEEP_SECONDS": "1",
                    "REMINDER_WEEKENDS": "true",
                    "REMINDER_WORKDAY_START": "00:00",
                    "REMINDER_WORKDAY_END": "23:59",
                    "MicrosoftAppId": "",
                },
            )
        )
        _wait_for(f"{bot}/healthz")
        playground = f"http://127.0.0.1:{playground_port}/"
        stack.enter_context(
            _process(
                out / "playground.log",
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
                cwd=out,  # it writes devTools/ into its working directory
            )
        )
        _wait_for(playground)
        started = time.monotonic()
        scenario[2] = playground
        code = subprocess.call(scenario, cwd=E2E)
        verdict = "passed" if code == 0 else f"FAILED (exit {code}); logs in {out}"
        sys.stdout.write(f"e2e {language} {verdict} in {time.monotonic() - started:.0f} s\n")
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
    log_file: Path, command: list[str], env: dict[str, str], cwd: Path = ROOT
) -> Iterator[None]:
    """Run a server with its output in `log_file`; stop it when the block ends."""
    with log_file.open("wb") as log:
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
