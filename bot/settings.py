"""Settings from the environment and `.env`, with the Bot Framework's own variable names."""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class AppType(StrEnum):
    """How the bot's Entra ID app registration authenticates."""

    MULTI_TENANT = "MultiTenant"
    SINGLE_TENANT = "SingleTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


class Settings(BaseSettings):
    """Every setting of the bot. Each field reads the environment variable named by its alias."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        populate_by_name=True,
        case_sensitive=False,
    )

    app_id: str = Field("", validation_alias="MicrosoftAppId")
    app_password: str = Field("", validation_alias="MicrosoftAppPassword", repr=False)
    app_type: AppType = Field(AppType.MULTI_TENANT, validation_alias="MicrosoftAppType")
    app_tenant_id: str = Field("", validation_alias="MicrosoftAppTenantId")
    host: str = Field("127.0.0.1", validation_alias="HOST")
    port: Annotated[int, Field(ge=1, le=65535)] = Field(3978, validation_alias="PORT")
    data_dir: Path = Field(Path("data"), validation_alias="DATA_DIR")
    catalog_dir: Path | None = Field(None, validation_alias="CATALOG_DIR")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    max_body_bytes: Annotated[int, Field(ge=4096, le=10_000_000)] = Field(
        262_144, validation_alias="MAX_BODY_BYTES"
    )

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("catalog_dir")
    @classmethod
    def _catalog_dir_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a directory")
        return value

    @property
    def auth_enabled(self) -> bool:
        """No app id means local mode: requests are not authenticated (Emulator, Playground)."""
        return bool(self.app_id)

    @property
    def logging_level(self) -> int:
        """The numeric logging level."""
        return logging.getLevelNamesMapping()[self.log_level]


def describe_invalid_settings(error: ValidationError) -> str:
    """One line per invalid variable, naming it: `PORT: Input should be a valid integer`."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        lines.append(f"{name}: {problem['msg']} (got {problem.get('input')!r})")
    return "Invalid settings:\n  " + "\n  ".join(lines)
