"""Alembic migrations (run them with `haat db upgrade`)."""
