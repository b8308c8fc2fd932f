"""Gateway throughput: our /wechat (real dialogue, PostgreSQL + Redis) vs a bare floor and WeRoBot.

Run: `.venv/bin/python bench/gateway.py` (SIYU_BENCH_SECONDS=10 per run by default).
Servers, each in its own process on loopback:
  ours     siyu.app.create_app(boot()) under uvicorn (httptools + uvloop); SIYU_DATABASE__URL /
           SIYU_REDIS__URL if set, else a private PostgreSQL database + Redis db 14 (SQLite +
           in-process KV if PostgreSQL is unreachable).  Messages: a stateful mix per user —
           greeting, search, detail, add to cart, view cart.
  floor    Starlette + wechatpy: check signature (decrypt/encrypt in safe mode), parse, fixed text.
  werobot  WeRoBot with its default session storage, gunicorn, one sync worker.
  edge     (diagnostic, plaintext only) ours with the dialogue replaced by an echo: the edge's own cost.
Load: wrk (Lua, pre-signed requests with unique MsgIds) at c=10 and c=50, or an async httpx
generator when wrk is missing.  Plaintext and safe mode (AES), each against its own floor.
Targets (c=50): ours >= 0.15x floor req/s and >= 1.5x werobot, p99 <= 100 ms, 0 errors, 0 late.
Every server is one process; SIYU_BENCH_WORKERS=N runs ours and the floor with N uvicorn workers
each (like `siyu serve --workers N`), for a like-for-like look at a multi-core deployment.
Writes bench/results/gateway.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN, APP_ID, SECRET, GH = "bench-token", "wx_bench_app", "bench-secret", "gh_bench"
AES_KEY = "benchAESkey0123456789abcdefghijklmnopqrstuv"
MIX = ["你好", "脐橙", "第一个详细说说", "来两件5斤", "购物车"]
USERS = 300
SECONDS = float(os.environ.get("SIYU_BENCH_SECONDS", "10"))
CONCURRENCY = (10, 50)
RESULTS = ROOT / "bench" / "results" / "gateway.json"
PG_ADMIN = os.environ.get("SIYU_BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_DEFAULT = "redis://127.0.0.1:6379/14"
LUA = r"""
local threads, counter = {}, 0
function setup(thread) thread:set("id", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  reqs, idx, late, bad = {}, 0, 0, 0
  local n, i = tonumber(args[2]), 0
  for line in io.lines(args[1]) do
    if i % n == id then
      local tab = line:find("\t", 1, true)
      reqs[#reqs + 1] = wrk.format("POST", "/wechat?" .. line:sub(1, tab - 1),
        {["Content-Type"] = "text/xml"}, line:sub(tab + 1))
    end
    i = i + 1
  end
end
function request() idx = idx % #reqs + 1; return reqs[idx] end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 elseif body == "success" then late = late + 1 end
end
function done(summary, latency, requests)
  local late_total, bad_total = 0, 0
  for _, t in ipairs(threads) do late_total = late_total + t:get("late"); bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "max_ms": %f, '
    .. '"errors": %d, "late": %d}\n', summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect + e.read + e.write + e.timeout + bad_total,
    late_total))
end
"""


# -- servers (child processes) -------------------------------------------------------------
def floor_app(safe: bool) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from wechatpy import create_reply, parse_message
    from wechatpy.crypto import WeChatCrypto
    from wechatpy.utils import check_signature

    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)

    async def wechat(request: Request) -> Response:
        q = request.query_params
        check_signature(TOKEN, q["signature"], q["timestamp"], q["nonce"])
        body = await request.body()
        if safe:
            body = crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"]).encode()
        xml = create_reply("收到", parse_message(body), render=True)
        if safe:
            xml = crypto.encrypt_message(xml, q["nonce"], q["timestamp"])
        return Response(xml, media_type="application/xml")

    return Starlette(routes=[Route("/wechat", wechat, methods=["POST"])])


def __getattr__(name: str) -> Any:  # gunicorn loads `gateway:werobot_plain` / `gateway:werobot_aes`
    if name in ("werobot_plain", "werobot_aes"):
        from werobot import WeRoBot

        extra = {"encoding_aes_key": AES_KEY, "app_id": APP_ID} if name == "werobot_aes" else {}
        robot = WeRoBot(token=TOKEN, **extra)
        robot.config["SESSION_STORAGE"] = None  # None → WeRoBot's default SQLite session storage

        @robot.text
        def echo(message: Any, session: Any) -> str:
            session["n"] = session.get("n", 0) + 1
            return "收到"

        return robot.wsgi
    raise AttributeError(name)


def serve(kind: str, port: int, safe: bool) -> None:
    import uvicorn

    workers = int(os.environ.get("SIYU_BENCH_WORKERS", "1"))
    if workers > 1:
        os.environ["SIYU_BENCH_KIND"], os.environ["SIYU_BENCH_SAFE"] = kind, "1" if safe else ""
        uvicorn.run("gateway:bench_app", factory=True, workers=workers, host="127.0.0.1", port=port,
                    log_level="warning", http="httptools", loop="uvloop", access_log=False, app_dir=str(ROOT / "bench"))
        return
    uvicorn.run(bench_app(kind, safe), host="127.0.0.1", port=port, log_level="warning", http="httptools",
                loop="uvloop", access_log=False)


def bench_app(kind: str = "", safe: bool | None = None) -> Any:
    kind = kind or os.environ["SIYU_BENCH_KIND"]
    safe = bool(os.environ.get("SIYU_BENCH_SAFE")) if safe is None else safe
    if kind == "floor":
        return floor_app(safe)
    else:
        from siyu.app import create_app, tune_gc
        from siyu.container import boot

        c = boot()
        if kind == "edge":  # the edge alone: the dialogue replaced by an echo (diagnostic)
            from bot.messages import TextReply

            class Echo:
                def respond(self, inbound: Any) -> Any:
                    return TextReply(inbound.text)

            c.__dict__["dialogue"] = Echo()
        app = create_app(c)
        tune_gc()  # as `siyu serve` does
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(kind: str, safe: bool, env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    if kind == "werobot":
        target = f"gateway:werobot_{'aes' if safe else 'plain'}"
        cmd = [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "sync", "-b", f"127.0.0.1:{port}",
               "--pythonpath", str(ROOT / "bench"), "--log-level", "warning", target]
    else:
        cmd = [sys.executable, __file__, "--serve", kind, str(port), "aes" if safe else "plain"]
    proc = subprocess.Popen(cmd, cwd=workdir, env={**os.environ, **env, "SIYU_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} server exited with {proc.returncode}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


# -- requests and load -----------------------------------------------------------------------
def write_requests(path: Path, n: int, safe: bool, tag: str) -> None:
    from sandbox.wechat import wire

    base = int(time.time() * 1000) * 1000
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            user = f"bench_{tag}_{i % USERS}"
            text = MIX[(i // USERS) % len(MIX)]
            xml = wire.text_xml(GH, user, int(time.time()), text, base + i)
            env = wire.seal(xml, token=TOKEN, timestamp=str(int(time.time())), nonce=wire.new_nonce(),
                            mode="aes" if safe else "plaintext", aes_key=AES_KEY, app_id=APP_ID, to_user=GH)
            query = "&".join(f"{k}={v}" for k, v in env.query.items())
            out.write(f"{query}\t{env.body}\n")


def run_wrk(port: int, concurrency: int, requests_file: Path, script: Path) -> dict[str, Any]:
    threads = 2
    cmd = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{SECONDS:.0f}s", "--timeout", "10s",
           "-s", str(script), f"http://127.0.0.1:{port}", "--", str(requests_file), str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 60).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
    data = json.loads(line[len("RESULT "):])
    data["rps"] = data["requests"] / data["seconds"]
    return data


async def _httpx_load(port: int, concurrency: int, requests_file: Path) -> dict[str, Any]:
    import httpx

    lines = [ln.rstrip("\n").split("\t", 1) for ln in requests_file.open(encoding="utf-8")]
    latencies: list[float] = []
    counts = {"errors": 0, "late": 0, "next": 0}
    end = time.monotonic() + SECONDS

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < end:
            query, body = lines[counts["next"] % len(lines)]
            counts["next"] += 1
            started = time.perf_counter()
            try:
                r = await client.post(f"/wechat?{query}", content=body.encode())
                latencies.append(time.perf_counter() - started)
                counts["errors"] += r.status_code != 200
                counts["late"] += r.text == "success"
            except httpx.HTTPError:
                counts["errors"] += 1

    started = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    latencies.sort()
    pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000) if latencies else (lambda q: 0.0)
    seconds = time.monotonic() - started
    return {"requests": len(latencies), "seconds": seconds, "rps": len(latencies) / seconds, "p50_ms": pick(0.5),
            "p99_ms": pick(0.99), "max_ms": latencies[-1] * 1000 if latencies else 0.0, **counts}


# -- orchestration ------------------------------------------------------------------------------
def ours_environment(workdir: Path) -> tuple[dict[str, str], str, Any]:
    """Env for our server (+ a cleanup); a private PostgreSQL database unless SIYU_DATABASE__URL is set."""
    env = {"SIYU_MODE": "demo", "SIYU_DATA_DIR": str(workdir / "data"), "SIYU_LOG_LEVEL": "WARNING",
           "SIYU_WECHAT__TOKEN": TOKEN, "SIYU_WECHAT__APP_ID": APP_ID, "SIYU_WECHAT__APP_SECRET": SECRET,
           "SIYU_WECHAT__ENCODING_AES_KEY": AES_KEY, "SIYU_WECHAT__ORIGINAL_ID": GH,
           "SIYU_REDIS__URL": os.environ.get("SIYU_REDIS__URL", REDIS_DEFAULT)}
    db_url, cleanup = os.environ.get("SIYU_DATABASE__URL", ""), (lambda: None)
    if not db_url:
        db_url, cleanup = _private_postgres()
    if not db_url:
        db_url, env["SIYU_REDIS__URL"] = f"sqlite:///{workdir / 'bench.db'}", ""
    env["SIYU_DATABASE__URL"] = db_url
    _prepare_database(env)
    return env, "postgresql" if db_url.startswith("postgresql") else "sqlite", cleanup


def _private_postgres() -> tuple[str, Any]:
    try:
        from sqlalchemy import create_engine, text

        name = f"siyu_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL unavailable ({type(exc).__name__}); using SQLite + in-process KV")
        return "", lambda: None

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, drop


def _prepare_database(env: dict[str, str]) -> None:
    os.environ.update(env)
    from sqlalchemy import text

    import commerce.models  # noqa: F401
    from commerce.db import Base
    from siyu.container import boot

    c = boot(logging_on=False)
    if c.settings.database_url.startswith("postgresql"):
        with c.db.engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    Base.metadata.create_all(c.db.engine)
    try:
        from siyu.seed import seed_demo_shop

        seed_demo_shop(c)
    except Exception as exc:  # noqa: BLE001 - the bench still measures the edge without a catalog
        print(f"demo catalog not seeded ({type(exc).__name__}: {exc})")
    c.close()


def measure(kind: str, safe: bool, env: dict[str, str], workdir: Path) -> dict[str, dict[str, Any]]:
    proc, port = start(kind, safe, env, workdir)
    script = workdir / "bench.lua"
    script.write_text(LUA)
    results: dict[str, dict[str, Any]] = {}
    try:
        for concurrency in (5, *CONCURRENCY):  # 5 = warm-up (JIT caches, NLU model, pools), not reported
            requests = workdir / f"requests-{kind}-{concurrency}.tsv"
            write_requests(requests, 70_000 if not safe else 45_000, safe, f"{kind}{concurrency}{uuid.uuid4().hex[:4]}")
            if shutil.which("wrk"):
                result = run_wrk(port, concurrency, requests, script)
            else:
                result = asyncio.run(_httpx_load(port, concurrency, requests))
            if concurrency in CONCURRENCY:
                results[f"c{concurrency}"] = {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}
                print(f"  {kind:8s} {'aes' if safe else 'plain':5s} c={concurrency:<3d} {result['rps']:8.0f} req/s  "
                      f"p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}  "
                      f"late {result['late']}")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    return results


def verdict(ours: dict[str, Any], floor: dict[str, Any], werobot: dict[str, Any]) -> dict[str, Any]:
    o, f, w = ours["c50"], floor["c50"], werobot["c50"]
    ratio_floor, ratio_werobot = o["rps"] / f["rps"], o["rps"] / w["rps"]
    ok = (ratio_floor >= 0.15 and ratio_werobot >= 1.5 and o["p99_ms"] <= 100 and o["errors"] == 0
          and o["late"] == 0 and o["max_ms"] <= 4500)
    return {"ratio_vs_floor": round(ratio_floor, 3), "ratio_vs_werobot": round(ratio_werobot, 2), "meets_target": ok}


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="siyu-bench-gateway-"))
    env, database, cleanup = ours_environment(workdir)
    print(f"gateway bench: {SECONDS:.0f}s per run, load by {'wrk' if shutil.which('wrk') else 'httpx'}, "
          f"ours on {database}")
    modes: dict[str, Any] = {}
    try:
        for safe in (False, True):
            kinds = ("floor", "werobot", "ours") if safe else ("floor", "werobot", "ours", "edge")
            runs = {kind: measure(kind, safe, env, workdir) for kind in kinds}
            modes["aes" if safe else "plaintext"] = {**runs, **verdict(runs["ours"], runs["floor"], runs["werobot"])}
    finally:
        cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    plain = modes["plaintext"]
    result = {
        "name": "gateway", "ours": plain["ours"], "floor": plain["floor"], "werobot": plain["werobot"],
        "ratio": plain["ratio_vs_floor"], "ratio_vs_werobot": plain["ratio_vs_werobot"],
        "edge_only_echo": plain["edge"],
        "target": ">= 0.15 (x floor req/s at c=50), >= 1.5x werobot, p99 <= 100 ms, 0 errors, 0 late",
        "meets_target": plain["meets_target"] and modes["aes"]["meets_target"],
        "safe_mode": modes["aes"], "database": database, "seconds_per_run": SECONDS,
        "load_generator": "wrk" if shutil.which("wrk") else "httpx",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    for mode, data in modes.items():
        print(f"{mode}: ours/floor {data['ratio_vs_floor']}x, ours/werobot {data['ratio_vs_werobot']}x, "
              f"meets target: {data['meets_target']}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "aes")
    else:
        main()
