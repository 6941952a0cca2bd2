"""Settings refuse an unsafe production configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from haat.config import DEV_SECRET_KEY, Settings


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, "", "short"])
def test_production_refuses_missing_or_default_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(haat_env="production", secret_key=secret)


def test_production_accepts_a_real_secret() -> None:
    s = Settings(haat_env="production", secret_key="9" * 48)
    assert s.haat_env == "production"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@h/db")
    monkeypatch.setenv("CORS_ORIGINS", '["https://shop.example"]')
    monkeypatch.setenv("ACCESS_TOKEN_TTL_S", "600")
    s = Settings()
    assert s.database_url.startswith("postgresql")
    assert s.cors_origins == ["https://shop.example"]
    assert s.access_token_ttl_s == 600
