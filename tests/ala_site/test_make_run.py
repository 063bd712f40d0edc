"""`make run PORT=8101` serves on that port, and the site's own links follow it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def run_commands(tmp_path, *make_args, site_url=None):
    """What `make run` would start, each command run with a stand-in python that records its environment."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    log = tmp_path / "log"
    (fake_bin / "python").write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\n')
    (fake_bin / "python").chmod(0o755)
    stamp = ROOT / ".venv" / ".installed"
    if not stamp.exists():
        pytest.skip("make setup has not run")
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    dry_run = subprocess.run(
        ["make", "-s", "-n", "run", f"BIN={fake_bin}", *make_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    for line in dry_run.stdout.splitlines():
        if "manage.py" in line:
            subprocess.run(["sh", "-c", line], cwd=tmp_path, check=True, env=env)
    return log.read_text().splitlines()


def test_make_run_port_serves_there_and_site_url_follows(tmp_path):
    commands = run_commands(tmp_path, "PORT=8101")

    assert commands[-1] == "http://127.0.0.1:8101 manage.py runserver 127.0.0.1:8101"
    assert all(line.startswith("http://127.0.0.1:8101 ") for line in commands)


def test_an_explicit_site_url_wins(tmp_path):
    commands = run_commands(tmp_path, "PORT=8101", site_url="https://portal.example.org")

    assert commands[-1] == "https://portal.example.org manage.py runserver 127.0.0.1:8101"
