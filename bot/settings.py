"""Settings from the environment and `.env`, with the Bot Framework's own variable names."""

from __future__ import annotations

import ipaddress
import logging
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from engagement.reminders import ReminderPolicy
from engagement.working_hours import zone_or_none


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
    store_sync_worker: bool = Field(True, validation_alias="STORE_SYNC_WORKER")
    database_url: str = Field("", validation_alias="DATABASE_URL", repr=False)
    database_pool_size: Annotated[int, Field(ge=2, le=100)] = Field(
        10, validation_alias="DATABASE_POOL_SIZE"
    )
    catalog_dir: Path | None = Field(None, validation_alias="CATALOG_DIR")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    max_body_bytes: Annotated[int, Field(ge=4096, le=10_000_000)] = Field(
        262_144, validation_alias="MAX_BODY_BYTES"
    )
    public_base_url: str = Field("", validation_alias="PUBLIC_BASE_URL")
    # Proactive reminders (engagement/reminders.py, bot/reminder_sweep.py, bot/outbound/).
    reminders_enabled: bool = Field(True, validation_alias="REMINDERS_ENABLED")
    reminder_sweep_seconds: Annotated[float, Field(ge=1, le=3600)] = Field(
        60.0, validation_alias="REMINDER_SWEEP_SECONDS"
    )
    reminder_check_in_days: Annotated[int, Field(ge=1, le=365)] = Field(
        14, validation_alias="REMINDER_CHECK_IN_DAYS"
    )
    reminder_renewal_days: str = Field("90,60,30", validation_alias="REMINDER_RENEWAL_DAYS")
    reminder_stall_days: Annotated[int, Field(ge=1, le=365)] = Field(
        30, validation_alias="REMINDER_STALL_DAYS"
    )
    reminder_follow_up_days: Annotated[int, Field(ge=1, le=365)] = Field(
        7, validation_alias="REMINDER_FOLLOW_UP_DAYS"
    )
    reminder_workday_start: time = Field(time(9), validation_alias="REMINDER_WORKDAY_START")
    reminder_workday_end: time = Field(time(17), validation_alias="REMINDER_WORKDAY_END")
    reminder_weekends: bool = Field(False, validation_alias="REMINDER_WEEKENDS")
    reminder_time_zone: str = Field("UTC", validation_alias="REMINDER_TIME_ZONE")
    reminder_sends_per_second: Annotated[float, Field(gt=0, le=7)] = Field(
        1.0, validation_alias="REMINDER_SENDS_PER_SECOND"
    )
    reminder_tenant_sends_per_second: Annotated[float, Field(gt=0, le=50)] = Field(
        20.0, validation_alias="REMINDER_TENANT_SENDS_PER_SECOND"
    )
    reminder_lease_seconds: Annotated[float, Field(ge=2, le=3600)] = Field(
        300.0, validation_alias="REMINDER_LEASE_SECONDS"
    )
    # Sends accepted or in flight but not yet recorded, per process: the most one crash repeats.
    outbound_uncertain_sends: Annotated[int, Field(ge=1, le=64)] = Field(
        4, validation_alias="OUTBOUND_UNCERTAIN_SENDS"
    )

    @field_validator("database_url")
    @classmethod
    def _database_url_is_postgres(cls, value: str) -> str:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL (or empty for the TinyDB store)")
        return value

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

    @field_validator("reminder_renewal_days")
    @classmethod
    def _renewal_days_are_numbers(cls, value: str) -> str:
        days = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and 1 <= int(part) <= 730 for part in days):
            raise ValueError("must be days between 1 and 730, separated by commas, e.g. 90,60,30")
        return ",".join(days)

    @field_validator("reminder_time_zone")
    @classmethod
    def _time_zone_is_known(cls, value: str) -> str:
        if zone_or_none(value) is None:
            raise ValueError("must be an IANA time zone such as Europe/Berlin")
        return value

    @field_validator("reminder_workday_end")
    @classmethod
    def _workday_ends_after_it_starts(cls, value: time, info: ValidationInfo) -> time:
        start = info.data.get("reminder_workday_start")
        if isinstance(start, time) and value <= start:
            raise ValueError("must be later than REMINDER_WORKDAY_START")
        return value

    @property
    def reminder_policy(self) -> ReminderPolicy:
        """The reminder policy these settings describe."""
        return ReminderPolicy(
            check_in_days=self.reminder_check_in_days,
            renewal_offsets=tuple(int(d) for d in self.reminder_renewal_days.split(",") if d),
            stall_days=self.reminder_stall_days,
            ensure_followup_days=self.reminder_follow_up_days,
            working_hours_start=self.reminder_workday_start,
            working_hours_end=self.reminder_workday_end,
            weekend_sending=self.reminder_weekends,
            default_time_zone=self.reminder_time_zone,
        )

    @property
    def reminder_claim_batch(self) -> int:
        """Customers one sweep plans (and on PostgreSQL claims) at most: what the tenant rate
        sends in a quarter of the lease, 10 to 500, so a live replica finishes its claim long
        before the lease lets another replica take it."""
        fits = self.reminder_tenant_sends_per_second * self.reminder_lease_seconds / 4
        return max(10, min(500, int(fits)))

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url_is_http(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http:// for local use)")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _safe_without_authentication(self) -> Settings:
        if not self.app_id and not is_loopback_host(self.host):
            raise ValueError(
                f"HOST={self.host} without MicrosoftAppId would let anyone on the network use "
                "the bot unauthenticated: set MicrosoftAppId (and MicrosoftAppPassword), or "
                "HOST=127.0.0.1 for local use"
            )
        if self.app_id and self.public_base_url.startswith("http://"):
            raise ValueError("PUBLIC_BASE_URL must use https:// when MicrosoftAppId is set")
        return self

    @property
    def export_links_work(self) -> bool:
        """Download links need an address browsers reach: loopback locally, https otherwise."""
        return not self.auth_enabled or self.public_base_url.startswith("https://")

    @property
    def base_url(self) -> str:
        """Where users' browsers reach this bot (for download links)."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def auth_enabled(self) -> bool:
        """No app id means local mode: requests are not authenticated (Emulator, Playground)."""
        return bool(self.app_id)

    @property
    def logging_level(self) -> int:
        """The numeric logging level."""
        return logging.getLevelNamesMapping()[self.log_level]


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_SECRET_SETTINGS = {"MicrosoftAppPassword", "DATABASE_URL"}  # may hold a password


def describe_invalid_settings(error: ValidationError) -> str:
    """One line per invalid variable, naming it: `PORT: Input should be a valid integer`."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        shown = "(hidden)" if name in _SECRET_SETTINGS else repr(problem.get("input"))
        lines.append(f"{name}: {problem['msg']} (got {shown})")
    return "Invalid settings:\n  " + "\n  ".join(lines)
