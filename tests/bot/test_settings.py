"""Settings: Bot Framework names, defaults, clear errors naming the variable, documented fields."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import AppType, Settings, describe_invalid_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_local_mode_on_port_3978() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.port, settings.host, settings.auth_enabled) == (3978, "127.0.0.1", False)
    assert settings.data_dir == Path("data")


def test_bot_framework_names_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MicrosoftAppId", "app")
    monkeypatch.setenv("MicrosoftAppPassword", "secret")
    monkeypatch.setenv("MicrosoftAppType", "SingleTenant")
    monkeypatch.setenv("MicrosoftAppTenantId", "tenant")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.auth_enabled
    assert settings.app_type is AppType.SINGLE_TENANT
    assert "secret" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("LOG_LEVEL", "loud"),
        ("MicrosoftAppType", "Anything"),
        ("CATALOG_DIR", "/does/not/exist"),
        ("MAX_BODY_BYTES", "10"),
        ("OUTBOUND_UNCERTAIN_SENDS", "0"),
        ("OUTBOUND_UNCERTAIN_SENDS", "65"),
        ("OUTBOUND_UNCERTAIN_SENDS", "2.5"),
        ("OUTBOUND_UNCERTAIN_SENDS", "many"),
    ],
)
def test_an_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert describe_invalid_settings(raised.value).splitlines()[1].strip().startswith(variable)


def test_start_up_stops_with_the_message_and_exit_code_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        env={"PORT": "not-a-port", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "PORT" in result.stderr


def test_every_setting_is_in_env_example_and_readme() -> None:
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields.values():
        name = str(field.validation_alias)
        assert re.search(rf"^{name}=", documented, re.MULTILINE), f"{name} not in .env.example"
        assert f"`{name}`" in readme, f"{name} not in README"


def test_the_bound_on_uncertain_sends_defaults_to_4_and_accepts_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings(_env_file=None).outbound_uncertain_sends == 4  # type: ignore[call-arg]
    monkeypatch.setenv("OUTBOUND_UNCERTAIN_SENDS", "1")
    assert Settings(_env_file=None).outbound_uncertain_sends == 1  # type: ignore[call-arg]
