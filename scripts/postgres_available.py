"""Exit 0 when the PostgreSQL server behind HAAT_TEST_DATABASE_URL answers, 1 otherwise."""

import asyncio
import os
import sys

import asyncpg


async def main() -> int:
    url = os.environ["HAAT_TEST_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    server = url.rsplit("/", 1)[0] + "/postgres"
    try:
        conn = await asyncpg.connect(server, timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL not reachable at {server}: {exc}", file=sys.stderr)
        return 1
    await conn.close()
    return 0


sys.exit(asyncio.run(main()))
