"""`make run`: starts Rasa, the action server and the gateway, and stops all three on Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot.channels.config import from_env as channels_from_env
from bot.settings import ROOT, Settings, SettingsError

MODEL = ROOT / "models" / "passage.tar.gz"


@dataclass(frozen=True)
class Ports:
    rasa: int = int(os.environ.get("PASSAGE_RASA_PORT", "5005"))
    actions: int = int(os.environ.get("PASSAGE_ACTIONS_PORT", "5055"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now (tests and benchmarks start services there)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(settings: Settings, ports: Ports) -> dict[str, str]:
    """Environment shared by the three processes (embedded defaults)."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PASSAGE_DATA_DIR": str(settings.data_dir),
            "PASSAGE_PORT": str(settings.port),
            "PASSAGE_RASA_TOKEN": settings.rasa_token,
            "PASSAGE_RASA_URL": f"http://127.0.0.1:{ports.rasa}",
            "PASSAGE_ACTIONS_URL": env.get("PASSAGE_ACTIONS_URL", f"http://127.0.0.1:{ports.actions}/webhook"),
            "PASSAGE_TRACKER_DB": env.get("PASSAGE_TRACKER_DB", str(settings.data_dir / "rasa_tracker.db")),
            "SANIC_HOST": "127.0.0.1",  # the action server listens on loopback only
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        }
    )
    return env


def commands(settings: Settings, ports: Ports, model: Path = MODEL) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    return {
        "actions": [str(bin_dir / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports.actions)],
        "rasa": [
            str(bin_dir / "python"), "-m", "rasa_ext.serve", "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(ports.rasa),
            "--enable-api", "--auth-token", settings.rasa_token,
            "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(ROOT / "endpoints.yml"),
        ],
        "gateway": [str(bin_dir / "python"), "-m", "bot", "serve"],
    }


def wait_for(url: str, timeout_s: float, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def prepare_sqlite_tracker(path: Path) -> None:
    """Puts Rasa's SQLite tracker store in WAL mode (it persists in the file); Rasa itself never does."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def health_url(name: str, settings: Settings, ports: Ports) -> tuple[str, float]:
    """Where each process says it is ready, and how long it may take."""
    return {
        "actions": (f"http://127.0.0.1:{ports.actions}/health", 120),
        # /status answers only once the model is loaded ("/" answers as soon as the server listens)
        "rasa": (f"http://127.0.0.1:{ports.rasa}/status?token={settings.rasa_token}", 300),
        "gateway": (f"http://{settings.host}:{settings.port}/healthz", 60),
    }[name]


def start_one(name: str, settings: Settings, ports: Ports, model: Path, log_dir: Path) -> subprocess.Popen:
    """Starts one of the three processes and waits until it answers; raises if it does not."""
    env = service_env(settings, ports)
    print(f"==> Starting {name} (log: {log_dir / (name + '.log')})", flush=True)
    with open(log_dir / f"{name}.log", "ab") as log:
        process = subprocess.Popen(
            commands(settings, ports, model)[name], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    url, timeout_s = health_url(name, settings, ports)
    if not wait_for(url, timeout_s, process):
        stop({name: process})
        raise RuntimeError(f"{name} did not start; see {log_dir / (name + '.log')}")
    return process


def start_all(settings: Settings, ports: Ports, model: Path = MODEL, log_dir: Optional[Path] = None) -> dict[str, subprocess.Popen]:
    """Starts the three processes in order, each once the previous answers; raises if one does not."""
    log_dir = log_dir or settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    prepare_sqlite_tracker(Path(service_env(settings, ports)["PASSAGE_TRACKER_DB"]))
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name in ("actions", "rasa", "gateway"):
            processes[name] = start_one(name, settings, ports, model, log_dir)
    except RuntimeError:
        stop(processes)
        raise
    return processes


def run(model: Path = MODEL) -> int:
    settings = Settings.from_env()
    if not model.exists():
        print(f"No trained model at {model}. Run `make run` (it trains first) or `make train`.", file=sys.stderr)
        return 1
    log_dir = settings.data_dir / "logs"
    try:
        channels = channels_from_env()  # a half-configured channel stops here, naming what is missing
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    channels_on = ["web chat", *(["Telegram"] if channels.telegram else []), *(["WhatsApp"] if channels.whatsapp else [])]
    processes: dict[str, subprocess.Popen] = {}
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        try:
            processes = start_all(settings, Ports(), model, log_dir)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"\nPassage is running.\n  Web chat:           http://{settings.host}:{settings.port}/\n"
              f"  Counsellor console: http://{settings.host}:{settings.port}/console\n"
              f"  Channels on:        {', '.join(channels_on)} (Telegram and WhatsApp: see docs/channels.md)\n"
              "Press Ctrl-C to stop.", flush=True)
        while all(p.poll() is None for p in processes.values()):
            time.sleep(1)
        dead = [name for name, p in processes.items() if p.poll() is not None]
        print(f"{', '.join(dead)} stopped unexpectedly; stopping the rest. Logs are in {log_dir}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stop(processes)
