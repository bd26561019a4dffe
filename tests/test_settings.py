"""Production settings fail closed, and pass Django's deployment checks when configured; a
mistyped yes/no variable stops start-up; PostgreSQL connections come from psycopg's pool."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    keys = {"SECRET_KEY", "COMMONS_ROUNDING_KEY", "DEBUG"}
    clean = {k: v for k, v in os.environ.items() if k not in keys}
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


def test_production_refuses_to_start_without_a_rounding_key_of_its_own():
    """The commons' published numbers hang on this key, not on SECRET_KEY (rotating that must
    not change them): production names it, or does not start."""
    result = manage(
        "check",
        DEBUG="0",
        SECRET_KEY="x7#kP2mQ9vL4nR8sT1wY6zB3cF5hJ0dG-eA_uI!oK@pM$qN%rS^tU&vW*",
        ALLOWED_HOSTS="commons.example.nz",
    )
    assert result.returncode != 0
    assert "COMMONS_ROUNDING_KEY must be set" in result.stderr


def test_deploy_checks_pass_with_production_variables():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7#kP2mQ9vL4nR8sT1wY6zB3cF5hJ0dG-eA_uI!oK@pM$qN%rS^tU&vW*",
        COMMONS_ROUNDING_KEY="m3V-pQ8xL1zR6tW9yB2cF4hJ7kN0sD5gE_aU",
        ALLOWED_HOSTS="commons.example.nz",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def debug_setting(value: str) -> subprocess.CompletedProcess[str]:
    """Start Django with ``DEBUG=value`` (production variables otherwise) and print DEBUG."""
    return manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print('DEBUG is', settings.DEBUG)",
        DEBUG=value,
        SECRET_KEY="x7#kP2mQ9vL4nR8sT1wY6zB3cF5hJ0dG-eA_uI!oK@pM$qN%rS^tU&vW*",
        COMMONS_ROUNDING_KEY="m3V-pQ8xL1zR6tW9yB2cF4hJ7kN0sD5gE_aU",
        ALLOWED_HOSTS="commons.example.nz",
    )


def test_a_mistyped_boolean_variable_stops_start_up_naming_it_and_the_accepted_values():
    result = debug_setting("flase")
    assert result.returncode != 0
    assert "DEBUG is" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG='flase' is not a yes/no value" in result.stderr
    assert "1, true, yes, on" in result.stderr
    assert "0, false, no, off" in result.stderr


@pytest.mark.parametrize("value", ["False", "0", "off"])
def test_debug_off_in_any_accepted_spelling_starts_with_debug_off(value):
    result = debug_setting(value)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DEBUG is False" in result.stdout


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(v, True) for v in ("1", "true", "True", "TRUE", "yes", "Yes", "on", " ON ", "\ttrue\n")],
        *[(v, False) for v in ("0", "false", "False", "no", "NO", "off", " Off ")],
    ],
)
def test_env_bool_accepts_clear_yes_and_no_values(monkeypatch, value, expected):
    monkeypatch.setenv("SC_TEST_FLAG", value)
    assert env_bool("SC_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_env_bool_unset_or_empty_is_the_default(monkeypatch, value, default):
    if value is None:
        monkeypatch.delenv("SC_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("SC_TEST_FLAG", value)
    assert env_bool("SC_TEST_FLAG", default) is default


@pytest.mark.parametrize("value", ["flase", "ture", "2", "-1", "y", "n", "enabled", "none", "0n"])
def test_env_bool_refuses_anything_else(monkeypatch, value):
    monkeypatch.setenv("SC_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match=r"SC_TEST_FLAG=.* is not a yes/no value"):
        env_bool("SC_TEST_FLAG", False)


DATABASES_SCRIPT = (
    "import json; from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'age': db['CONN_MAX_AGE'], 'options': db.get('OPTIONS', {})}))"
)


def test_postgresql_connections_come_from_a_pool_sized_by_the_environment():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        DATABASES_SCRIPT,
        DATABASE_URL="postgres://someone@db.example.nz:5432/commons",
        DB_POOL_MAX="7",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    database = json.loads(result.stdout.strip().splitlines()[-1])
    # Persistent connections are off: with the pool, Django hands a connection back instead.
    assert database["age"] == 0
    assert database["options"]["pool"] == {"min_size": 2, "max_size": 7, "timeout": 10.0}
