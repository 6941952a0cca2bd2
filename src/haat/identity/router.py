"""`/api/auth`: registration, password and OTP login, token refresh, logout, profile."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from haat.core.deps import AppSettings, ClientIp, DbSession, Limiter, Sms
from haat.core.errors import responses
from haat.identity import otp, service
from haat.identity.auth import AuthenticatedActor
from haat.identity.schemas import (
    LoginIn,
    MePatch,
    OtpRequestIn,
    OtpRequestOut,
    OtpVerifyIn,
    RefreshIn,
    RegisterIn,
    TokenPair,
    UserOut,
)

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/register", status_code=201, response_model=UserOut, responses=responses(409, 422, 429)
)
async def register(
    data: RegisterIn, session: DbSession, settings: AppSettings, limiter: Limiter, ip: ClientIp
) -> UserOut:
    """Create an account with email and/or phone and a password."""
    user = await service.register(session, settings, limiter, data, ip)
    return UserOut.model_validate(user)


@router.post("/login", response_model=TokenPair, responses=responses(401, 422, 429))
async def login(
    data: LoginIn, session: DbSession, settings: AppSettings, limiter: Limiter, ip: ClientIp
) -> TokenPair:
    """Log in with email or phone and password; returns an access and a refresh token."""
    return await service.login(session, settings, limiter, data.identifier, data.password, ip)


@router.post("/refresh", response_model=TokenPair, responses=responses(401, 422))
async def refresh(data: RefreshIn, session: DbSession, settings: AppSettings) -> TokenPair:
    """Trade a refresh token for a new pair; the old refresh token stops working."""
    return await service.refresh(session, settings, data.refresh_token)


@router.post("/logout", status_code=204, responses=responses(422))
async def logout(data: RefreshIn, session: DbSession) -> Response:
    """Revoke the refresh token and every token rotated from the same login."""
    await service.logout(session, data.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/otp/request", status_code=202, response_model=OtpRequestOut, responses=responses(422, 429)
)
async def otp_request(
    data: OtpRequestIn,
    session: DbSession,
    settings: AppSettings,
    limiter: Limiter,
    sms: Sms,
    ip: ClientIp,
) -> OtpRequestOut:
    """Send a 6-digit login code by SMS to an E.164 phone number."""
    return await otp.request_code(session, settings, limiter, sms, data.phone, ip)


@router.post("/otp/verify", response_model=TokenPair, responses=responses(401, 422, 429))
async def otp_verify(
    data: OtpVerifyIn, session: DbSession, settings: AppSettings, limiter: Limiter, ip: ClientIp
) -> TokenPair:
    """Log in with the code; the first verify of a phone creates its account."""
    return await otp.verify_code(session, settings, limiter, data.phone, data.code, ip)


@router.get("/me", response_model=UserOut, responses=responses(401))
async def me(actor: AuthenticatedActor, session: DbSession) -> UserOut:
    """The signed-in user's profile."""
    user = await service.active_user(session, actor.require_user())
    return UserOut.model_validate(user)


@router.patch("/me", response_model=UserOut, responses=responses(401, 422))
async def update_me(data: MePatch, actor: AuthenticatedActor, session: DbSession) -> UserOut:
    """Change name, preferred language, currency or country."""
    user = await service.update_me(session, actor.require_user(), data)
    return UserOut.model_validate(user)
