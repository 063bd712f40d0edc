"""Without a SECRET_KEY the site never serves, yet commands that sign nothing still run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "ala_site.settings"
    env["DEBUG"] = "false"  # production's default, whatever a local .env says
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_makemigrations_check_runs_without_a_secret_key():
    result = run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_web_application_refuses_to_start_without_a_secret_key():
    result = run("-c", "import ala_site.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
