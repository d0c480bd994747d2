"""`make bench-load`: Passage's throughput and latency next to a stock Rasa server, same model, same machine.

Set-ups, each started fresh, measured, and stopped:
  stock      `rasa run` with Rasa's REST channel and default (in-memory) tracker store, one server
  sqlite     Passage's default: gateway on SQLite, Rasa workers each with their own SQLite tracker
             store, each conversation pinned to one worker by consistent hashing
  postgres   gateway on PostgreSQL + Redis events, Rasa workers on a shared PostgreSQL tracker store
             with the Redis lock store

All set-ups are started first and then measured in turns (stock, sqlite, postgres, stock, …), so the
machine's drift touches each alike; ratios are medians over runs made back to back.
Modes: back-to-back (every user sends its next message as soon as the answer arrives) and think
time (1–3 s between messages, seeded). Prints messages per second, p50/p95/p99 latency and the
resident memory of every process. Usage: python -m scripts.bench_load [--users 20] [--messages 12]
[--rasa-workers 2] [--setups stock,sqlite,postgres] [--modes back-to-back,think]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.launcher import free_port, prepare_sqlite_tracker

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "passage.tar.gz"
MESSAGES = [
    "hello", "is it safe in mali?", "what about jobs", "reintegration support in senegal", "how do you know?",
    "what are my options", "how does voluntary return work", "thank you", "bonjour", "je viens du ghana",
    "et la santé ?", "merci beaucoup", "أريد العودة إلى بلدي", "آیا در افغانستان کار هست؟", "আমি দেশে ফিরতে চাই",
]




def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def wait_for(url: str, process: subprocess.Popen, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout_s} s")


@dataclass
class Service:
    processes: dict[str, subprocess.Popen]
    url: str
    kind: str  # "rest" (stock Rasa) or "passage"

    def memory(self) -> dict[str, float]:
        return {name: rss_mib(p.pid) for name, p in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def base_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT), "SANIC_HOST": "127.0.0.1", "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PASSAGE_DATA_DIR": str(work), "PASSAGE_RASA_TOKEN": "bench-token",
            "PASSAGE_PSEUDONYM_SECRET": "bench-secret", "PASSAGE_RATE_LIMIT_PER_MINUTE": "100000",
        }
    )
    return env


def spawn(name: str, command: list[str], env: dict[str, str], work: Path) -> subprocess.Popen:
    log = open(work / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def start(setup: str, workers: int, work: Path) -> Service:
    env = base_env(work)
    bin_dir = Path(sys.executable).parent
    actions_port = free_port()
    env["PASSAGE_ACTIONS_URL"] = f"http://127.0.0.1:{actions_port}/webhook"
    processes = {"actions": spawn("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)], env, work)}
    wait_for(f"http://127.0.0.1:{actions_port}/health", processes["actions"])
    rasa = [str(bin_dir / "rasa"), "run", "--model", str(MODEL), "-i", "127.0.0.1", "--enable-api"]
    if setup != "stock":  # Passage's Rasa: the same Rasa with its speed-ups (rasa_ext/serve.py)
        rasa = [sys.executable, "-m", "rasa_ext.serve", *rasa[1:]]
    if setup == "stock":
        (work / "credentials.yml").write_text("rest: {}\n")
        (work / "endpoints.yml").write_text(f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n")
        port = free_port()
        processes["rasa"] = spawn("rasa", [*rasa, "-p", str(port), "--credentials", str(work / "credentials.yml"), "--endpoints", str(work / "endpoints.yml")], env, work)
        wait_for(f"http://127.0.0.1:{port}/status", processes["rasa"])
        return Service(processes, f"http://127.0.0.1:{port}/webhooks/rest/webhook", "rest")

    endpoints = ROOT / "endpoints.yml"
    if setup == "postgres":
        endpoints = ROOT / "deploy" / "endpoints.production.yml"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS passage_bench_rasa WITH (FORCE)"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE passage_bench_rasa"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS passage_bench_gateway WITH (FORCE)"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE passage_bench_gateway"], check=True)
        env.update(
            {
                "PASSAGE_TRACKER_HOST": "127.0.0.1", "PASSAGE_TRACKER_PORT": "5432", "PASSAGE_TRACKER_DB": "passage_bench_rasa",
                "PASSAGE_TRACKER_USER": "postgres", "PASSAGE_TRACKER_PASSWORD": "", "PASSAGE_REDIS_HOST": "127.0.0.1",
                "PASSAGE_REDIS_PORT": "6379", "PASSAGE_REDIS_LOCK_DB": "5", "PASSAGE_REDIS_URL": "redis://127.0.0.1:6379/6",
                "PASSAGE_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1/passage_bench_gateway",
            }
        )
    rasa_urls = []
    for index in range(workers):
        port = free_port()
        worker_env = dict(env, PASSAGE_TRACKER_DB=env.get("PASSAGE_TRACKER_DB") if setup == "postgres" else str(work / f"tracker-{index}.db"))
        if setup == "sqlite":
            prepare_sqlite_tracker(Path(worker_env["PASSAGE_TRACKER_DB"]))
        name = f"rasa-{index + 1}"
        processes[name] = spawn(name, [*rasa, "--auth-token", "bench-token", "-p", str(port), "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)], worker_env, work)
        rasa_urls.append(f"http://127.0.0.1:{port}")
    for index, url in enumerate(rasa_urls):
        wait_for(f"{url}/status?token=bench-token", processes[f"rasa-{index + 1}"])
    gateway_port = free_port()
    env.update({"PASSAGE_RASA_URLS": ",".join(rasa_urls), "PASSAGE_PORT": str(gateway_port)})
    processes["gateway"] = spawn("gateway", [sys.executable, "-m", "bot", "serve"], env, work)
    wait_for(f"http://127.0.0.1:{gateway_port}/healthz", processes["gateway"])
    return Service(processes, f"http://127.0.0.1:{gateway_port}/api/chat", "passage")


async def load(service: Service, users: int, messages: int, think: bool, seed: int = 7) -> tuple[float, list[float], int]:
    import aiohttp

    latencies: list[float] = []
    errors = 0
    rng = random.Random(seed)
    pauses = [[rng.uniform(1.0, 3.0) if think else 0.0 for _ in range(messages)] for _ in range(users)]
    run_id = f"{time.time_ns()}"

    async def user(session: aiohttp.ClientSession, index: int) -> None:
        nonlocal errors
        sender = f"bench-{run_id}-{index}"
        for number in range(messages):
            text = MESSAGES[(index + number) % len(MESSAGES)]
            body = {"sender": sender, "message": text} if service.kind == "rest" else {"sender": sender, "text": text}
            started = time.perf_counter()
            try:
                async with session.post(service.url, json=body) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(pauses[index][number])

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        began = time.perf_counter()
        await asyncio.gather(*(user(session, i) for i in range(users)))
        elapsed = time.perf_counter() - began
    return elapsed, latencies, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--messages", type=int, default=12)
    parser.add_argument("--rasa-workers", type=int, default=2)
    parser.add_argument("--setups", default="stock,sqlite,postgres")
    parser.add_argument("--modes", default="back-to-back,think")
    parser.add_argument("--repeats", type=int, default=5, help="runs per set-up and mode; medians are reported")
    args = parser.parse_args()
    if not MODEL.exists():
        print(f"No model at {MODEL}; run `make train` first.", file=sys.stderr)
        return 1
    setups = args.setups.split(",")
    services: dict[str, Service] = {}
    tmp = tempfile.TemporaryDirectory(prefix="bench-")
    try:
        for setup in setups:  # all started first, then measured in turns: the machine's drift hits each alike
            work = Path(tmp.name) / setup
            work.mkdir()
            services[setup] = start(setup, args.rasa_workers, work)
            asyncio.run(load(services[setup], 8, 3, think=False))  # warm-up: reaches every Rasa worker and lazy parts
        rows, ratios = [], []
        for mode in args.modes.split(","):
            runs: dict[str, list] = {setup: [] for setup in setups}
            for _ in range(args.repeats):
                for setup in setups:
                    runs[setup].append(asyncio.run(load(services[setup], args.users, args.messages, think=(mode == "think"))))
            for setup in setups:
                rate = statistics.median(len(lat) / elapsed for elapsed, lat, _ in runs[setup])
                p = {q: statistics.median(percentile(lat, q) for _, lat, _ in runs[setup]) * 1000 for q in (0.5, 0.95, 0.99)}
                errors = sum(e for _, _, e in runs[setup])
                rows.append((setup, mode, rate, p[0.5], p[0.95], p[0.99], errors, services[setup].memory()))
                print(f"{setup:9} {mode:13} {rate:7.1f} msg/s  p50 {p[0.5]:7.0f} ms  p95 {p[0.95]:7.0f} ms  p99 {p[0.99]:7.0f} ms  errors {errors}", flush=True)
                if setup != "stock" and "stock" in runs:  # ratios of runs made back to back, then their median
                    pairs = list(zip(runs[setup], runs["stock"]))
                    speed = statistics.median((len(a[1]) / a[0]) / (len(b[1]) / b[0]) for a, b in pairs)
                    tail = statistics.median(percentile(a[1], 0.95) / percentile(b[1], 0.95) for a, b in pairs)
                    ratios.append((setup, mode, speed, tail))
    finally:
        for service in services.values():
            service.stop()
        tmp.cleanup()
    print(f"\n{args.users} users × {args.messages} messages, {args.repeats} runs each (medians), set-ups measured in turns; "
          f"{os.cpu_count()} cores; Passage with {args.rasa_workers} Rasa workers")
    print(f"{'set-up':9} {'mode':13} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4}  memory (MiB RSS)")
    for setup, mode, rate, p50, p95, p99, errors, memory in rows:
        mem = ", ".join(f"{name} {mib:.0f}" for name, mib in memory.items())
        print(f"{setup:9} {mode:13} {rate:7.1f} {p50:7.0f} {p95:7.0f} {p99:7.0f} {errors:4d}  {mem}")
    for setup, mode, speed, tail in ratios:
        print(f"{setup} vs stock, {mode}: {speed:.2f}× messages per second, p95 {tail:.2f}× of stock's (medians of paired runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
