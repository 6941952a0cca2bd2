"""Settings from the environment and `.env` (pydantic-settings).

Every setting is read from an environment variable of the same name (upper case) or from a
`.env` file in the working directory. `HAAT_ENV=production` refuses a missing or default
`SECRET_KEY`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "haat-dev-secret-key-not-for-production-use-0000"


class Settings(BaseSettings):
    """Haat's configuration. Durations are in seconds, sizes in bytes."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    haat_env: Literal["dev", "test", "production"] = "dev"
    database_url: str = "sqlite+aiosqlite:///var/haat.db"
    redis_url: str | None = None
    secret_key: str = DEV_SECRET_KEY

    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    jwt_algorithm: str = "HS256"

    otp_ttl_s: int = 5 * 60
    otp_max_attempts: int = 5
    otp_resend_cooldown_s: int = 60
    otp_per_phone_limit: str = "5/hour"
    otp_per_ip_limit: str = "20/hour"
    login_per_ip_limit: str = "20/minute"
    login_per_account_limit: str = "10/minute"
    register_per_ip_limit: str = "20/hour"
    otp_dev_code: str = "123456"

    upload_dir: Path = Path("var/media")
    media_url: str = "/media/"
    max_upload_bytes: int = 16 * 1024 * 1024
    max_image_pixels: int = 50_000_000

    # Optional craftsmanship notes on product photos from any OpenAI-compatible chat-completions
    # endpoint that accepts images (off while the URL is unset), e.g. https://api.openai.com/v1.
    quality_provider_url: str | None = None
    quality_provider_model: str = "gpt-4o-mini"
    quality_provider_api_key: SecretStr | None = None
    quality_provider_timeout_s: float = 30.0

    # Chat (docs/chat.md). Images sent in chat are kept under CHAT_UPLOAD_DIR, which is never
    # served as static files: only a conversation's participants can fetch them.
    chat_upload_dir: Path = Path("var/private/chat")
    chat_send_limit: str = "60/minute"  # messages per user (REST and Socket.IO together)
    # Translation of chat messages: "none" (original text only), "openai" (any
    # OpenAI-compatible chat-completions endpoint: TRANSLATION_URL such as
    # https://api.openai.com/v1 or http://127.0.0.1:11434/v1 for Ollama) or "argos" (Argos
    # Translate with its installed language packages). A failure or a reply slower than
    # TRANSLATION_TIMEOUT_S falls back to the original text.
    translation_provider: Literal["none", "openai", "argos"] = "none"
    translation_url: str | None = None
    translation_model: str = "gpt-4o-mini"
    translation_api_key: SecretStr | None = None
    translation_timeout_s: float = Field(default=2.0, gt=0, le=60)

    # Trained model artefacts (skops files named in the `ml_model_versions` registry), and how
    # often, in seconds, a process checks the registry for a new champion (docs/predictions.md).
    model_dir: Path = Path("var/models")
    ml_reload_interval_s: float = Field(default=5.0, ge=0, le=3600)

    # Seconds anonymous catalogue responses are served from memory; 0 turns the cache off.
    public_cache_ttl_s: float = 5.0

    # Behaviour events (docs/events.md): written in batches of at most EVENTS_BATCH_SIZE rows,
    # at least every EVENTS_FLUSH_INTERVAL_S seconds; at most EVENTS_MAX_PENDING rows wait in
    # memory (per worker) while the store is down, newer ones are then dropped and counted.
    events_batch_size: int = Field(default=500, ge=1, le=10_000)
    events_flush_interval_s: float = Field(default=1.0, gt=0, le=300)
    events_max_pending: int = Field(default=10_000, ge=1, le=1_000_000)

    # Shopping assistant (docs/assistant.md). Questions per conversation (then 429), and
    # rate limits per signed-in user and per IP address (`limits` notation).
    assistant_prompt_limit: int = Field(default=5, ge=1, le=1000)
    assistant_per_user_limit: str = "30/minute"
    assistant_per_ip_limit: str = "60/minute"
    # Re-rank with the packaged sentence-embedding model when the `ai` extra is installed
    # and `haat assistant index` has run; torch threads per process for the question's
    # embedding; full-text candidates re-ranked; products named in an answer.
    assistant_rerank: bool = True
    # Seconds from a product change to the embeddings refresh job that all the changes of
    # that window share (a burst of checkouts, which write products' stock, queues one job).
    assistant_refresh_delay_s: float = Field(default=30.0, ge=0, le=3600)
    assistant_torch_threads: int = Field(default=1, ge=1, le=64)
    assistant_candidates: int = Field(default=30, ge=2, le=200)
    # Share of the embedding's cosine in the re-rank score (the rest: full-text position).
    assistant_rerank_weight: float = Field(default=0.6, ge=0, le=1)
    assistant_answer_products: int = Field(default=3, ge=1, le=10)
    # `llm`: an OpenAI-compatible chat-completions endpoint writes the answer from the
    # retrieved facts only (falls back to the templated answer on any error or timeout).
    assistant_engine: Literal["local", "llm"] = "local"
    assistant_llm_url: str | None = None  # e.g. http://127.0.0.1:11434/v1 (Ollama)
    assistant_llm_model: str = "gpt-4o-mini"
    assistant_llm_api_key: SecretStr | None = None
    assistant_llm_timeout_s: float = Field(default=10.0, gt=0, le=120)

    cors_origins: list[str] = Field(default_factory=list)
    log_format: Literal["console", "json"] = "console"
    log_level: str = "INFO"
    # PostgreSQL connections each app process keeps (and may open as many again under a
    # burst): processes x 2 x this must stay under the server's max_connections.
    db_pool_size: int = Field(default=10, ge=1, le=200)

    # Payments (`haat.payments`): keys and webhook secrets from the environment only. A
    # provider whose keys are unset is refused with a 503 problem, never a 500.
    # The platform's commission on released funds, in basis points (see
    # `haat.payments.postings.commission` for the rationale of the default of 5 %).
    platform_commission_bp: int = Field(default=500, ge=0, le=10_000)
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None  # e.g. a local fake in tests; None: Stripe's own
    razorpay_key_id: str | None = None
    razorpay_key_secret: str | None = None
    razorpay_webhook_secret: str | None = None
    razorpay_api_base: str | None = None  # None: Razorpay's own

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.haat_env == "production" and (
            not self.secret_key or self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "when HAAT_ENV=production"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
