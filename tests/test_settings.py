"""Production settings fail closed, and pass Django's deployment checks when configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="commons.example.nz")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_checks_pass_with_production_variables():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7#kP2mQ9vL4nR8sT1wY6zB3cF5hJ0dG-eA_uI!oK@pM$qN%rS^tU&vW*",
        ALLOWED_HOSTS="commons.example.nz",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
