"""The production topology on loopback: two `golive serve`, one `golive worker`, nginx, nginx-rtmp, Redis.

    .venv/bin/python deploy/topology.py start [--dir DIR] [--http-port N] [--rtmp-port N] [--s3]
    .venv/bin/python deploy/topology.py stop --dir DIR
    .venv/bin/python deploy/topology.py render --out DIR --app HOST:PORT [--app HOST:PORT ...]   (configs only)
        [--media-root DIR | --storage s3]   (s3: the bucket and its key from GOLIVE_S3_*)

`start` makes a fresh database on the shared PostgreSQL (GOLIVE_TOPOLOGY_POSTGRES_URL, default the local
`postgres` database, which is only used to CREATE/DROP the new one), a private redis-server on a free port,
and one data directory shared by every GoLive process; then it starts:

    viewers/admins --HTTP--> nginx (deploy/nginx.conf: njs-checked /media/ from the shared media dir, or
                             with --s3 from the bucket, fetched by nginx itself (deploy/nginx-media-s3.conf);
                             everything else round robin over both instances)
    encoders --RTMP--> nginx-rtmp (deploy/nginx-rtmp.conf) --on_publish via nginx--> an instance, which pulls
    golive serve x2 (GOLIVE_EMBEDDED_WORKER=false, RTMP listener off), golive worker, optionally moto (S3)

It prints the addresses as JSON (also written to DIR/topology.json, with every process id) and runs until
Ctrl-C or `stop`, then stops what it started and drops its database. Ports are free ones unless given.
Logs: DIR/logs/<process>.log (the instances log one line per request).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

DEPLOY = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
ADMIN_POSTGRES_URL = os.environ.get("GOLIVE_TOPOLOGY_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(check: Any, what: str, timeout: float = 60.0, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited early (code {process.returncode})")
        try:
            if check():
                return
        except (OSError, httpx.TransportError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")


def http_ok(url: str) -> bool:
    return httpx.get(url, timeout=2).status_code == 200


def port_open(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True


def render_configs(
    out: Path,
    *,
    apps: Sequence[str],
    listen: str,
    media_root: Path | None,
    secret_key: str,
    rtmp_listen: str,
    control_listen: str,
    hook_secret: str,
    pull_from: str = "127.0.0.1",
    s3_env: dict[str, str] | None = None,
) -> tuple[Path, Path]:
    """nginx.conf (upstream round robin over `apps`) and nginx-rtmp.conf (hooks through that nginx) in `out`.
    With `s3_env` (GOLIVE_S3_* values) nginx fetches media from that bucket instead of `media_root`."""
    from golive.live.ingest.nginx_rtmp import render_nginx_rtmp_conf
    from golive.media.hls import BucketEdge, render_nginx_conf, write_edge_key_file
    from golive.platform.tokens import UrlSigner

    if not apps:
        raise ValueError("at least one app instance")
    for name in ("nginx", "nginx-rtmp"):
        (out / name / "run").mkdir(parents=True, exist_ok=True)
    key_file = out / "nginx" / "media_key.json"
    write_edge_key_file(UrlSigner(secret_key), key_file)
    template = (DEPLOY / "nginx.conf").read_text()
    single = "        server {{APP_UPSTREAM}};\n"
    if single not in template:
        raise RuntimeError("deploy/nginx.conf: the upstream block changed")
    # Round robin (nginx's default) over every instance; the placeholder takes the first.
    template = template.replace(single, single + "".join(f"        server {app};\n" for app in apps[1:]))
    bucket = None
    if s3_env is not None:
        bucket = BucketEdge.write(
            out / "nginx" / "bucket.json",
            bucket=s3_env["GOLIVE_S3_BUCKET"],
            region=s3_env.get("GOLIVE_S3_REGION", "us-east-1"),
            endpoint_url=s3_env.get("GOLIVE_S3_ENDPOINT_URL", ""),
            access_key_id=s3_env["GOLIVE_S3_ACCESS_KEY_ID"],
            secret_access_key=s3_env["GOLIVE_S3_SECRET_ACCESS_KEY"],
        )
    nginx_conf = out / "nginx" / "nginx.conf"
    nginx_conf.write_text(
        render_nginx_conf(
            template,
            listen=listen,
            media_root=media_root,
            media_key_file=key_file,
            app_upstream=apps[0],
            runtime_dir=out / "nginx" / "run",
            njs_dir=DEPLOY,
            bucket=bucket,
        )
    )
    host, _, port = listen.rpartition(":")
    rtmp_conf = out / "nginx-rtmp" / "nginx.conf"
    rtmp_conf.write_text(
        render_nginx_rtmp_conf(
            (DEPLOY / "nginx-rtmp.conf").read_text(),
            rtmp_listen=rtmp_listen,
            control_listen=control_listen,
            hook_base=f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}",  # noqa: S104 (a check)
            hook_secret=hook_secret,
            pull_from=pull_from,
            runtime_dir=str(out / "nginx-rtmp" / "run"),
        )
    )
    return nginx_conf, rtmp_conf


async def _postgres(admin_url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_database(admin_url: str) -> tuple[str, str]:
    """A new database next to `admin_url`'s (which is only connected to); returns its name and SQLAlchemy URL."""
    name = "golive_topology_" + secrets.token_hex(4)
    asyncio.run(_postgres(admin_url, f'CREATE DATABASE "{name}"'))
    base = admin_url.replace("postgresql://", "postgresql+asyncpg://", 1).rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def drop_database(admin_url: str, name: str) -> None:
    asyncio.run(_postgres(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@dataclass
class Topology:
    """What `start` made: addresses, the shared environment, and the processes by name (for tests to stop one)."""

    directory: Path
    http_port: int
    rtmp_port: int
    control_port: int
    app_ports: list[int]
    redis_port: int
    database: str
    postgres_url: str
    env: dict[str, str]
    s3_port: int | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def app_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.app_ports]

    @property
    def rtmp_url(self) -> str:
        return f"rtmp://127.0.0.1:{self.rtmp_port}/live"

    def log(self, name: str) -> Path:
        return self.directory / "logs" / f"{name}.log"

    def describe(self) -> dict[str, Any]:
        return {
            "http": self.base_url,
            "instances": self.app_urls,
            "rtmp": self.rtmp_url,
            "rtmpControl": f"http://127.0.0.1:{self.control_port}/control",
            "redis": f"redis://127.0.0.1:{self.redis_port}/0",
            "database": self.env["GOLIVE_DATABASE_URL"],
            "dataDir": self.env["GOLIVE_DATA_DIR"],
            "s3": f"http://127.0.0.1:{self.s3_port}" if self.s3_port else None,
            "pids": {name: process.pid for name, process in self.processes.items()},
            "directory": str(self.directory),
        }

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        self.log(name).parent.mkdir(parents=True, exist_ok=True)
        with self.log(name).open("ab") as log:
            process = subprocess.Popen(
                command, env=env or self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes[name] = process
        return process

    def start_instance(self, index: int) -> subprocess.Popen[bytes]:
        """`golive serve` number `index` (0 or 1) on its port; also restarts one a test has stopped."""
        port = self.app_ports[index]
        env = {**self.env, "GOLIVE_PORT": str(port)}
        process = self.spawn(f"app{index + 1}", [str(BIN / "golive"), "serve"], env)
        wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), f"golive serve on {port}", process=process)
        return process

    def start_worker(self) -> subprocess.Popen[bytes]:
        return self.spawn("worker", [str(BIN / "golive"), "worker"])

    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop(self, *, keep_database: bool = False) -> None:
        for name in reversed(list(self.processes)):
            self.stop_process(name)
        if not keep_database:
            drop_database(self.postgres_url, self.database)


# What the moto server answers without a signature: GoLive's user, its policy and its key.
MOTO_SETUP_CALLS = ("CreateUser", "PutUserPolicy", "CreateAccessKey")
MOTO_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def _moto_access_key(endpoint_url: str) -> dict[str, str]:
    """A real access key on the moto server, for the instances, the worker and nginx alike."""
    import boto3

    iam = boto3.client(
        "iam",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="setup",
        aws_secret_access_key="setup",  # noqa: S106 (unchecked: these calls come before moto checks)
    )
    iam.create_user(UserName="golive")
    iam.put_user_policy(UserName="golive", PolicyName="media", PolicyDocument=json.dumps(MOTO_POLICY))
    key = iam.create_access_key(UserName="golive")["AccessKey"]
    return {"GOLIVE_S3_ACCESS_KEY_ID": key["AccessKeyId"], "GOLIVE_S3_SECRET_ACCESS_KEY": key["SecretAccessKey"]}


def nginx_command(conf: Path) -> list[str]:
    prefix = conf.parent
    # Workers run as root only when we are root: the state directory may be private to its owner.
    directives = "daemon off; master_process on;" + (" user root;" if os.geteuid() == 0 else "")
    return ["nginx", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "run" / "error.log"), "-g", directives]


def start(
    directory: Path,
    *,
    http_port: int = 0,
    rtmp_port: int = 0,
    app_ports: Sequence[int] = (),
    s3: bool = False,
    extra_env: dict[str, str] | None = None,
    postgres_url: str = ADMIN_POSTGRES_URL,
) -> Topology:
    """Starts everything (see the module docstring); on any failure stops what already runs."""
    directory.mkdir(parents=True, exist_ok=True)
    data_dir = directory / "var"
    data_dir.mkdir(exist_ok=True)
    database, database_url = create_database(postgres_url)
    topology = Topology(
        directory=directory,
        http_port=http_port or free_port(),
        rtmp_port=rtmp_port or free_port(),
        control_port=free_port(),
        app_ports=list(app_ports) or [free_port(), free_port()],
        redis_port=free_port(),
        database=database,
        postgres_url=postgres_url,
        env={},
        s3_port=free_port() if s3 else None,
    )
    hook_secret = secrets.token_urlsafe(24)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOLIVE_")}
    env.update(
        GOLIVE_DATABASE_URL=database_url,
        GOLIVE_DATA_DIR=str(data_dir),
        GOLIVE_SECRET_KEY=secrets.token_urlsafe(32),
        GOLIVE_REDIS_URL=f"redis://127.0.0.1:{topology.redis_port}/0",
        GOLIVE_EMBEDDED_WORKER="false",
        GOLIVE_HOST="127.0.0.1",
        GOLIVE_PUBLIC_URL=topology.base_url,
        GOLIVE_RTMP_PORT="off",
        GOLIVE_RTMP_PUBLIC_URL=topology.rtmp_url,
        GOLIVE_INGEST_HOOK_SECRET=hook_secret,
        GOLIVE_INGEST_RELAY_URL=topology.rtmp_url,
        GOLIVE_INGEST_CONTROL_URL=f"http://127.0.0.1:{topology.control_port}/control",
        GOLIVE_ACCESS_LOG="true",
        GOLIVE_TRUST_PROXY_HEADERS="true",  # nginx is the only way in; X-Forwarded-For is its own
    )
    if s3:
        env.update(
            GOLIVE_STORAGE_BACKEND="s3",
            GOLIVE_S3_BUCKET="golive-topology",
            GOLIVE_S3_CREATE_BUCKET="true",
            GOLIVE_S3_ENDPOINT_URL=f"http://127.0.0.1:{topology.s3_port}",
        )
    env.update(extra_env or {})
    topology.env = env
    try:
        redis_args = ["--bind", "127.0.0.1", "--port", str(topology.redis_port), "--save", "", "--appendonly", "no"]
        redis = topology.spawn("redis", ["redis-server", *redis_args, "--dir", str(directory)])
        wait_until(lambda: port_open(topology.redis_port), "redis-server", process=redis)
        if topology.s3_port:
            # Signatures are checked (as a real bucket does) once the first IAM calls made GoLive's key.
            moto_env = {**env, "INITIAL_NO_AUTH_ACTION_COUNT": str(len(MOTO_SETUP_CALLS))}
            moto_command = [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(topology.s3_port)]
            moto = topology.spawn("moto", moto_command, moto_env)
            wait_until(lambda: port_open(topology.s3_port or 0), "moto_server", process=moto)
            env.update(_moto_access_key(env["GOLIVE_S3_ENDPOINT_URL"]))
        subprocess.run([str(BIN / "golive"), "migrate"], env=env, check=True, capture_output=True)
        nginx_conf, rtmp_conf = render_configs(
            directory,
            apps=[f"127.0.0.1:{port}" for port in topology.app_ports],
            listen=f"127.0.0.1:{topology.http_port}",
            media_root=data_dir / "media",
            secret_key=env["GOLIVE_SECRET_KEY"],
            rtmp_listen=f"127.0.0.1:{topology.rtmp_port}",
            control_listen=f"127.0.0.1:{topology.control_port}",
            hook_secret=hook_secret,
            s3_env=env if s3 else None,
        )
        (data_dir / "media").mkdir(exist_ok=True)
        for index in range(len(topology.app_ports)):
            topology.start_instance(index)
        topology.start_worker()
        nginx = topology.spawn("nginx", nginx_command(nginx_conf))
        wait_until(lambda: http_ok(f"{topology.base_url}/livez"), "nginx", process=nginx)
        rtmp = topology.spawn("nginx-rtmp", nginx_command(rtmp_conf))
        wait_until(lambda: port_open(topology.rtmp_port), "nginx-rtmp", process=rtmp)
    except BaseException:
        topology.stop()
        raise
    (directory / "topology.json").write_text(json.dumps(topology.describe(), indent=2))
    return topology


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="start everything and wait for Ctrl-C or `stop`")
    start_parser.add_argument("--dir", type=Path, help="state directory (default: a new temporary one)")
    start_parser.add_argument("--http-port", type=int, default=0)
    start_parser.add_argument("--rtmp-port", type=int, default=0)
    start_parser.add_argument("--app-port", type=int, action="append", default=[], help="twice: both instances")
    start_parser.add_argument("--s3", action="store_true", help="media on a moto S3 server instead of a folder")
    stop_parser = commands.add_parser("stop", help="stop a running `start` (by the pid in DIR/topology.json)")
    stop_parser.add_argument("--dir", type=Path, required=True)
    render_parser = commands.add_parser("render", help="write nginx.conf and nginx-rtmp.conf only")
    render_parser.add_argument("--out", type=Path, required=True)
    render_parser.add_argument("--app", action="append", required=True, help="HOST:PORT of an instance (repeat)")
    render_parser.add_argument("--listen", default="0.0.0.0:8080")
    render_parser.add_argument("--media-root", type=Path, help="the shared media folder (local storage)")
    render_parser.add_argument(
        "--storage",
        choices=("local", "s3"),
        default=os.environ.get("GOLIVE_STORAGE_BACKEND", "local"),
        help="where media lives (default GOLIVE_STORAGE_BACKEND); s3 reads the bucket and key from GOLIVE_S3_*",
    )
    render_parser.add_argument("--rtmp-listen", default="0.0.0.0:1935")
    render_parser.add_argument("--control-listen", default="127.0.0.1:8086")
    render_parser.add_argument("--pull-from", default="127.0.0.1", help="address allowed to play (the instances)")
    args = parser.parse_args()

    if args.command == "render":
        if args.storage == "local" and args.media_root is None:
            parser.error("--media-root is required with local storage")
        # The secrets come from the environment, as the instances get them.
        nginx_conf, rtmp_conf = render_configs(
            args.out,
            apps=args.app,
            listen=args.listen,
            media_root=args.media_root if args.storage == "local" else None,
            secret_key=os.environ["GOLIVE_SECRET_KEY"],
            rtmp_listen=args.rtmp_listen,
            control_listen=args.control_listen,
            hook_secret=os.environ["GOLIVE_INGEST_HOOK_SECRET"],
            pull_from=args.pull_from,
            s3_env=dict(os.environ) if args.storage == "s3" else None,
        )
        print(json.dumps({"nginx": str(nginx_conf), "nginxRtmp": str(rtmp_conf)}))
        return
    if args.command == "stop":
        pid = json.loads((args.dir / "topology.json").read_text())["pid"]
        os.kill(pid, signal.SIGTERM)
        return
    directory = args.dir or Path(tempfile.mkdtemp(prefix="golive-topology-"))
    topology = start(directory, http_port=args.http_port, rtmp_port=args.rtmp_port, app_ports=args.app_port, s3=args.s3)
    described = {**topology.describe(), "pid": os.getpid()}
    (directory / "topology.json").write_text(json.dumps(described, indent=2))
    print(json.dumps(described, indent=2), flush=True)
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        while not stopping:
            for name, process in list(topology.processes.items()):
                if process.poll() is not None:
                    print(f"{name} exited (code {process.returncode}); see {topology.log(name)}", flush=True)
                    topology.processes.pop(name)
            time.sleep(0.5)
    finally:
        topology.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
