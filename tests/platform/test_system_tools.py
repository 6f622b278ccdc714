"""The test command's own setup: the Debian packages it installs or asks for, and missing tools under CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools import require_tool

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INSTALLER = DEPLOY / "install-system-packages.sh"


@pytest.fixture
def public_dir() -> Iterator[Path]:
    """A folder anybody can read (pytest's own are private to their owner)."""
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # noqa: S103  (the unprivileged installer must read its copy)
        yield Path(folder)


def run_installer(folder: Path, packages: list[str], as_nobody: bool) -> subprocess.CompletedProcess[str]:
    """The installer on its own package list; as nobody, it may neither apt-get nor sudo."""
    shutil.copy(INSTALLER, folder / INSTALLER.name)
    (folder / "system-packages.txt").write_text("# a comment\n" + "\n".join(packages) + "\n")
    command = ["bash", str(folder / INSTALLER.name)]
    if as_nobody and os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_the_installer_is_silent_when_every_package_is_there(public_dir: Path) -> None:
    listed = (DEPLOY / "system-packages.txt").read_text()
    packages = [line.split("#")[0].strip() for line in listed.splitlines() if line.split("#")[0].strip()]
    assert "chromium" in packages and "libnginx-mod-rtmp" in packages
    result = run_installer(public_dir, packages, as_nobody=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


def test_without_root_or_sudo_the_installer_stops_with_the_command_to_run(public_dir: Path) -> None:
    if os.geteuid() != 0 and shutil.which("sudo"):
        pytest.skip("this user may have sudo, so the installer would use it")  # not a missing tool
    result = run_installer(public_dir, ["ffmpeg", "golive-no-such-package"], as_nobody=True)
    assert result.returncode == 1
    assert "sudo apt-get update && sudo apt-get install -y --no-install-recommends golive-no-such-package" in (
        result.stderr
    )
    assert "ffmpeg" not in result.stderr.split("packages:")[1]  # only what is missing


def test_a_missing_tool_skips_on_a_workstation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no-such-tool .* is not installed"):
        require_tool("no-such-tool (golive-no-such-package)", "golive-no-such-program")


@pytest.mark.parametrize("ci", ["true", "1"])
def test_a_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI runs every test"):
        require_tool("nginx with a module", "sh", files=["/nonexistent/module.so"])


def test_a_present_tool_gives_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require_tool("a shell", "sh") == shutil.which("sh")
