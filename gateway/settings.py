"""Gateway settings: environment variables ``MASTOGATE_*`` and an optional TOML file.

Environment variables win over the file, and the file over the defaults. The
file is named by ``MASTOGATE_CONFIG`` or ``mastogate serve --config``; its
keys are the field names below in lower case (``upstream_url = "..."``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mastogate"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MASTOGATE_", extra="forbid")

    upstream_url: str = Field(
        default="",
        description="Base URL of the Friendica server, e.g. https://friendica.example",
    )
    public_url: str = Field(
        default="",
        description="How clients reach the gateway, e.g. https://social.example "
        "(default: http://HOST:PORT of `mastogate serve`)",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Secret for token hashes and credential encryption; all replicas must share it "
        "(default: generated once and kept in DATA_DIR/secret_key)",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir, description="Directory for the database and secret key"
    )
    database: Path | None = Field(
        default=None, description="SQLite database file (default: DATA_DIR/mastogate.sqlite3)"
    )
    instance_title: str | None = Field(
        default=None, description="Server name shown to apps (default: the upstream's site name)"
    )
    source_url: str = Field(
        default="", description="Where this gateway's source code is published (shown to apps)"
    )
    media_album: str = Field(
        default="Mastodon uploads",
        description="Upstream photo album that pictures uploaded from apps go into",
    )
    media_size_limit: int = Field(
        default=10 * 1024 * 1024, ge=1, description="Largest picture upload in bytes (bigger ones get 413)"
    )
    max_media_attachments: int = Field(default=4, ge=1, le=20, description="Pictures one status may carry")
    max_characters: int = Field(
        default=5000,
        ge=1,
        description="Maximum status length in characters (capped by the upstream's own limit)",
    )
    upstream_timeout: float = Field(
        default=15.0, gt=0, description="Seconds to wait for an upstream response"
    )
    upstream_connect_timeout: float = Field(default=5.0, gt=0, description="Seconds to wait for a connection")
    upstream_max_connections: int = Field(default=50, ge=1, description="Connections to the upstream at once")
    own_account_cache_ttl: float = Field(
        default=30.0, ge=0, description="Seconds a person's own account (verify_credentials) stays cached"
    )
    password_login: bool = Field(
        default=True, description="Let people log in with their upstream nickname and password"
    )
    upstream_login: bool = Field(
        default=True,
        description="Offer logging in on the upstream itself where it runs its own OAuth 2 provider",
    )
    upstream_authorize_url: str = Field(
        default="",
        description="Where browsers reach the upstream's /oauth/authorize (default: under upstream_url)",
    )
    upstream_oauth1_consumer_key: str = Field(
        default="",
        description="Key of the OAuth 1 consumer registered for mastogate on Friendica 3.5 to 2021.07",
    )
    upstream_oauth1_consumer_secret: SecretStr | None = Field(
        default=None, description="Secret of that OAuth 1 consumer"
    )
    upstream_oauth1_authorize_url: str = Field(
        default="",
        description="Where browsers reach the upstream's /api/oauth/authorize (default: under upstream_url)",
    )
    user_cache_ttl: float = Field(default=60.0, ge=0, description="Seconds a looked-up account stays cached")
    user_cache_size: int = Field(default=10_000, ge=0, description="Accounts kept in the lookup cache")
    notification_sync_interval: float = Field(
        default=10.0,
        ge=0,
        description="Seconds between two checks of the upstream for a person's new notifications",
    )
    capability_refresh: float = Field(
        default=6 * 3600.0, gt=0, description="Seconds between checks of what the upstream supports"
    )
    log_level: str = Field(default="info", description="Log level: debug, info, warning or error")

    @field_validator("upstream_url", "public_url", "upstream_authorize_url", "upstream_oauth1_authorize_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError(f"{value!r} is not an http or https URL")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("MASTOGATE_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)

    @model_validator(mode="after")
    def _some_login(self) -> Settings:
        if not self.password_login and not self.upstream_login:
            raise ValueError(
                "MASTOGATE_PASSWORD_LOGIN and MASTOGATE_UPSTREAM_LOGIN are both off, so nobody could log in"
            )
        return self

    @property
    def authorize_url(self) -> str:
        """The upstream's authorize page as people's browsers reach it."""
        return self.upstream_authorize_url or f"{self.upstream_url}/oauth/authorize"

    @property
    def oauth1_authorize_url(self) -> str:
        """The upstream's OAuth 1 authorize page as people's browsers reach it."""
        return self.upstream_oauth1_authorize_url or f"{self.upstream_url}/api/oauth/authorize"

    @property
    def oauth1_consumer(self) -> tuple[str, str] | None:
        """The configured OAuth 1 consumer key and secret, or None."""
        if not self.upstream_oauth1_consumer_key or self.upstream_oauth1_consumer_secret is None:
            return None
        return self.upstream_oauth1_consumer_key, self.upstream_oauth1_consumer_secret.get_secret_value()

    @property
    def database_path(self) -> Path:
        return self.database or self.data_dir / "mastogate.sqlite3"

    def secret_key_bytes(self) -> bytes:
        """Return the secret key, creating and storing one on first use when none is configured."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()

        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip().encode()

        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another process created it first; use theirs so both agree.
            return path.read_text().strip().encode()
        with os.fdopen(descriptor, "w") as file:
            file.write(key + "\n")
        return key.encode()


def load_settings(config_file: str | None = None, **overrides: Any) -> Settings:
    """Load settings from the environment, the TOML file and explicit overrides (highest first)."""
    if config_file:
        os.environ["MASTOGATE_CONFIG"] = config_file
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
