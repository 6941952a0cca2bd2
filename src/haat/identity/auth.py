"""Dependencies that turn a bearer token into an `Actor`."""

from __future__ import annotations

import uuid
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from haat.core.deps import AppSettings, DbSession
from haat.core.errors import Unauthenticated
from haat.core.events import visitor_id
from haat.core.security import decode_access_token
from haat.identity import repository
from haat.identity.actor import Actor

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
    found = await repository.user_for_token(session, user_id)
    if found is None or not found[1]:
        raise Unauthenticated("Invalid or expired access token")
    platform_role, _active, currency, language = found
    return Actor(
        user_id=user_id,
        platform_role=platform_role,
        visitor_id=visitor,
        currency=currency,
        language=language,
    )


async def get_user_actor(actor: Annotated[Actor, Depends(get_actor)]) -> Actor:
    actor.require_user()
    return actor


# OpenAPI for endpoints open to everyone that show more to a signed-in caller.
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{}, {"HTTPBearer": []}]

CurrentActor = Annotated[Actor, Depends(get_actor)]
AuthenticatedActor = Annotated[Actor, Depends(get_user_actor)]
