"""deploy/compose.yaml and deploy/systemd/: they parse, and every command they name exists and runs.

Docker and systemd are not on the test machine, so this checks what can break silently: the YAML, the
`golive` subcommands and options the services and units start, and that the nginx configurations the
compose `configure` service renders (deploy/topology.py render) are accepted by `nginx -t`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import yaml

from tests.deploy.conftest import DEPLOY, topology_module
from tests.tools import require_nginx_njs, require_nginx_rtmp

GOLIVE = str(topology_module.BIN / "golive")
APP_SERVICES = {"app1", "app2", "worker", "migrate"}


def _compose() -> dict[str, dict[str, object]]:
    parsed = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services: dict[str, dict[str, object]] = parsed["services"]
    return services


def _accepts(command: list[str]) -> None:
    """`golive <subcommand> [options] --help` exits 0: the subcommand and its options exist."""
    assert command[0] == "golive", command
    result = subprocess.run([GOLIVE, *command[1:], "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, (command, result.stderr)


def _assert_nginx_accepts(conf: Path, loopback: dict[str, str]) -> None:
    """`nginx -t` of a rendered config; it resolves upstream names, so those only another network knows are
    pointed at loopback first (`loopback`: text to replace)."""
    text = conf.read_text()
    for name, address in loopback.items():
        text = text.replace(name, address)
    checked = conf.with_name("checked.conf")
    checked.write_text(text)
    test = subprocess.run(
        ["nginx", "-t", "-p", str(conf.parent), "-c", str(checked), "-e", str(conf.parent / "run" / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert test.returncode == 0, test.stderr


def test_compose_names_every_service_with_health_checks_on_the_health_endpoints() -> None:
    services = _compose()
    assert {"app1", "app2", "worker", "nginx", "nginx-rtmp", "postgres", "redis"} <= set(services)
    for name in ("app1", "app2"):
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])  # type: ignore[index]
        environment = services[name]["environment"]
        assert environment["GOLIVE_EMBEDDED_WORKER"] == "false"  # type: ignore[index]
    assert "/livez" in " ".join(services["nginx"]["healthcheck"]["test"])  # type: ignore[index]
    for name in APP_SERVICES:
        _accepts(list(services[name]["command"]))  # type: ignore[call-overload]


def test_the_configure_service_renders_configs_nginx_accepts(tmp_path: Path) -> None:
    require_nginx_njs()
    require_nginx_rtmp()
    command = list(_compose()["configure"]["command"])  # type: ignore[call-overload]
    assert command[:2] == ["python", "/app/deploy/topology.py"]
    options = command[2:]
    out = tmp_path / "config"
    options[options.index("--out") + 1] = str(out)
    options[options.index("--media-root") + 1] = str(tmp_path / "media")
    env = {**os.environ, "GOLIVE_SECRET_KEY": "compose-test-secret-" + "k" * 20}
    env["GOLIVE_INGEST_HOOK_SECRET"] = "hooksecret1"
    rendered = subprocess.run(
        [str(topology_module.BIN / "python"), str(DEPLOY / "topology.py"), *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rendered.returncode == 0, rendered.stderr
    nginx_conf = (out / "nginx" / "nginx.conf").read_text()
    assert "server app1:8000;" in nginx_conf and "server app2:8000;" in nginx_conf
    for conf in (out / "nginx" / "nginx.conf", out / "nginx-rtmp" / "nginx.conf"):
        # app1/app2 exist only inside compose
        _assert_nginx_accepts(conf, {"app1:8000": "127.0.0.1:8000", "app2:8000": "127.0.0.1:8001"})


def test_the_bucket_variant_renders_with_its_key_kept_private_and_nginx_accepts_it(tmp_path: Path) -> None:
    require_nginx_njs()
    require_nginx_rtmp()
    out = tmp_path / "config"
    env = {
        **os.environ,
        "GOLIVE_SECRET_KEY": "render-test-secret-" + "k" * 20,
        "GOLIVE_INGEST_HOOK_SECRET": "hooksecret1",
    }
    env |= {"GOLIVE_S3_BUCKET": "media", "GOLIVE_S3_REGION": "eu-west-3", "GOLIVE_S3_ACCESS_KEY_ID": "AKIDEXAMPLE"}
    env["GOLIVE_S3_SECRET_ACCESS_KEY"] = "secret-" + "s" * 30
    env.pop("GOLIVE_S3_ENDPOINT_URL", None)
    command = [str(topology_module.BIN / "python"), str(DEPLOY / "topology.py"), "render", "--out", str(out)]
    rendered = subprocess.run(
        [*command, "--app", "127.0.0.1:8000", "--storage", "s3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rendered.returncode == 0, rendered.stderr
    conf = out / "nginx" / "nginx.conf"
    text = conf.read_text()
    # AWS's regional endpoint, over TLS; no trace of a local media folder; the key only in its own file
    assert "proxy_pass https://golive_s3$golive_s3_path;" in text and "server s3.eu-west-3.amazonaws.com:443;" in text
    assert "alias " not in text and "$golive_media_root" not in text
    assert "secret-sss" not in text
    assert (out / "nginx" / "bucket.json").stat().st_mode & 0o077 == 0
    _assert_nginx_accepts(conf, {"server s3.eu-west-3.amazonaws.com:443;": "server 127.0.0.1:443;"})  # no DNS here


def test_systemd_units_start_golive_commands_that_exist_and_restart() -> None:
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {unit.name for unit in units} >= {"golive@.service", "golive-worker.service"}
    for unit in units:
        lines = unit.read_text().splitlines()
        exec_start = next(line for line in lines if line.startswith("ExecStart="))
        command = shlex.split(exec_start.removeprefix("ExecStart="))
        assert command[0].endswith("/golive"), exec_start
        _accepts(["golive", *command[1:]])
        if unit.name != "golive-migrate.service":
            assert "Restart=always" in lines, unit.name
