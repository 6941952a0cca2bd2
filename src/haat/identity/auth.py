"""Dependencies that turn a bearer token into an `Actor`."""

from __future__ import annotations

import uuid
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select

from haat.core.db import table_of
from haat.core.deps import AppSettings, DbSession, provided
from haat.core.errors import Unauthenticated
from haat.core.events import visitor_id
from haat.core.security import decode_access_token
from haat.identity.actor import Actor
from haat.identity.models import User
from haat.identity.otp import OtpService
from haat.identity.service import IdentityService

_users = table_of(User)
_USER_FOR_TOKEN = select(_users.c.platform_role, _users.c.is_active, _users.c.currency).where(
    _users.c.id == bindparam("id")
)
_bearer = HTTPBearer(auto_error=False, description="JWT access token from /api/auth/login")


async def get_actor(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The caller: anonymous without a token; 401 for a bad, expired or disabled one."""
    visitor = visitor_id(request.scope["headers"])
    if credentials is None:
        return Actor.anonymous(visitor)
    try:
        claims = decode_access_token(
            settings.secret_key, settings.jwt_algorithm, credentials.credentials
        )
        user_id = uuid.UUID(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):
        raise Unauthenticated("Invalid or expired access token") from None
    # Three columns on the session's connection: no ORM object to build for every request.
    conn = await session.connection()
    user = (await conn.execute(_USER_FOR_TOKEN, {"id": user_id})).one_or_none()
    if user is None or not user.is_active:
        raise Unauthenticated("Invalid or expired access token")
    return Actor(
        user_id=user_id,
        platform_role=user.platform_role,
        visitor_id=visitor,
        currency=user.currency,
    )


async def get_user_actor(actor: Annotated[Actor, Depends(get_actor)]) -> Actor:
    actor.require_user()
    return actor


# OpenAPI for endpoints open to everyone that show more to a signed-in caller.
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{}, {"HTTPBearer": []}]

CurrentActor = Annotated[Actor, Depends(get_actor)]
AuthenticatedActor = Annotated[Actor, Depends(get_user_actor)]
# The app's identity services, for a route's signature.
Identity = Annotated[IdentityService, Depends(provided(IdentityService))]
Otp = Annotated[OtpService, Depends(provided(OtpService))]
