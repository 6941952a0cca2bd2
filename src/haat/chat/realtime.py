"""The Socket.IO side of chat: a python-socketio ASGI server mounted at ``/socket.io``.

Connect with ``auth={"token": "<JWT access token>"}``; a missing, invalid or expired token
or a disabled user is refused. Client events (each answers through its ack):

- ``join`` ``{conversation_id, since?}``: enter the conversation's room after the participant
  check; the ack carries ``missed``, the messages stored after message id ``since`` (catch-up
  after a reconnect; up to 100, ask again with the last id while ``more`` is true).
- ``leave`` ``{conversation_id}``.
- ``send`` ``{conversation_id, text}``: store (committed) then emit; the ack holds the stored
  ``message``. Only in a joined room: joining is the authorization.
- ``read`` ``{conversation_id, seq?}``: move the read position, emitted as ``read``.
- ``typing`` ``{conversation_id, typing}``: relayed to the others in the room.

Server events to a room: ``message`` (`MessageOut`, original text), ``translation``
(``{message_id, conversation_id, language, text}``, after a translator answered), ``read``
(`ReadOut` minus ``unread``), ``typing`` (``{conversation_id, user_id, typing}``).

With ``REDIS_URL`` set, emits go through ``socketio.AsyncRedisManager`` so every worker's
clients get them. Behind a load balancer, use the websocket transport only
(``transports=["websocket"]``) or sticky sessions: Engine.IO's polling keeps state per worker.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Annotated, Any
from urllib.parse import urlsplit

import jwt
import socketio
from fastapi import Depends
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.chat.conversations import ConversationNotFound, get_conversation, participant_languages
from haat.chat.language import detect_language
from haat.chat.messages import messages_of, store_message
from haat.chat.models import Message
from haat.chat.present import message_payload
from haat.chat.reads import mark_read
from haat.chat.translation import TranslationService
from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.deps import provided
from haat.core.errors import HaatError, TooManyRequests
from haat.core.ratelimit import RateLimiter
from haat.core.security import decode_access_token
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole
from haat.identity.service import get_user

log = logging.getLogger("haat.chat.realtime")
MAX_MISSED = 100  # messages caught up per join (``more``: join again from the last one)


def channel(redis_url: str) -> str:
    """The Redis pub/sub channel of the chat's emits. Pub/sub ignores Redis's database
    numbers, so the number is part of the name: apps on ``redis://host/3`` and
    ``redis://host/7`` do not hear each other."""
    db = urlsplit(redis_url).path.strip("/") or "0"
    return f"haat-chat-{db}"


def room(conversation_id: uuid.UUID | str) -> str:
    return f"c:{conversation_id}"


def _error(exc: Exception) -> dict[str, Any]:
    """The ack of a refused or failed event: every event is answered, so a client never
    waits for an ack that cannot come (a failed send was not stored: send it again)."""
    if isinstance(exc, HaatError):
        return {"ok": False, "status": exc.status, "code": exc.code, "detail": exc.detail}
    if isinstance(exc, ValidationError | ValueError | KeyError | TypeError):
        return {"ok": False, "status": 422, "code": "validation_error", "detail": str(exc)}
    log.exception("chat event failed")
    return {"ok": False, "status": 503, "code": "unavailable", "detail": "Try again"}


def _uuid(data: Any, key: str = "conversation_id") -> uuid.UUID:
    if not isinstance(data, dict):
        raise ValueError("send an object")
    return uuid.UUID(str(data[key]))


class ChatHub:
    """The process's Socket.IO server and the publishing of stored messages."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        translations: TranslationService,
        limiter: RateLimiter,
    ) -> None:
        self.settings = settings
        self.db = db
        self.translations = translations
        self.limiter = limiter
        # Socket sends are counted in this process (no Redis round trip per message): a
        # user's limit holds per worker, so across N workers it is at most N times the
        # setting. REST sends count in the shared `limiter`.
        self.socket_limiter = RateLimiter(None)
        manager = (
            socketio.AsyncRedisManager(settings.redis_url, channel=channel(settings.redis_url))
            if settings.redis_url
            else None
        )
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=manager,
            cors_allowed_origins=settings.cors_origins or None,
            logger=False,
            engineio_logger=False,
        )
        self.asgi = socketio.ASGIApp(self.sio, socketio_path="socket.io")
        self._tasks: set[asyncio.Task[Any]] = set()
        self._joined: dict[str, set[uuid.UUID]] = {}  # sid -> conversations it joined here
        self._register()

    # -- publishing --------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run ``coro`` in the background, keeping a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def publish(self, message: Message, *, skip_sid: str | None = None) -> None:
        """Emit a stored message to its room now, then its translations as they come.
        ``skip_sid`` is the sending connection (it has the message in its ack)."""
        await self.sio.emit(
            "message",
            message_payload(message),
            room=room(message.conversation_id),
            skip_sid=skip_sid,
        )
        if self.translations.enabled and message.text:
            self.spawn(self._translate(message))

    def publish_after_commit(self, message: Message) -> None:
        """For the REST path: called from `haat.core.db.on_commit`."""
        self.spawn(self.publish(message))

    async def _translate(self, message: Message) -> None:
        async with session_scope(self.db, write=False) as session:
            languages = await participant_languages(session, message.conversation_id)
        targets = sorted(lang for lang in languages if lang != message.language)
        results = await asyncio.gather(
            *(
                self.translations.translate(message.id, message.text, message.language, target)
                for target in targets
            )
        )
        for target, text in zip(targets, results, strict=True):
            if text is not None:
                await self.sio.emit(
                    "translation",
                    {
                        "message_id": str(message.id),
                        "conversation_id": str(message.conversation_id),
                        "language": target,
                        "text": text,
                    },
                    room=room(message.conversation_id),
                )

    async def drain(self) -> None:
        """Wait for the background emits and translations (at shutdown, in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- events -------------------------------------------------------------------------------

    def _register(self) -> None:
        """The server's event handlers (module doc), one method each."""
        handlers = {
            "connect": self.on_connect,
            "disconnect": self.on_disconnect,
            "join": self.on_join,
            "leave": self.on_leave,
            "send": self.on_send,
            "read": self.on_read,
            "typing": self.on_typing,
        }
        for event, handler in handlers.items():
            self.sio.on(event, handler)

    async def _actor(self, sid: str) -> tuple[Actor, str]:
        """A new `Actor` for this event (its memberships load at most once, for this event
        only) and the user's language, from the connection's session."""
        data = await self.sio.get_session(sid)
        actor = Actor(user_id=uuid.UUID(data["user_id"]), platform_role=PlatformRole(data["role"]))
        return actor, data["lang"]

    async def _joined_actor(self, sid: str, data: Any) -> tuple[Actor, uuid.UUID]:
        """The event's actor and conversation, which this connection must have joined (the
        participant check was made then): `ConversationNotFound` otherwise."""
        actor, _ = await self._actor(sid)
        conversation_id = _uuid(data)
        # The server's own `rooms(sid)` walks every room of the process; this is one lookup.
        if conversation_id not in self._joined.get(sid, ()):
            raise ConversationNotFound("Join the conversation first")
        return actor, conversation_id

    @asynccontextmanager
    async def _send_scope(self) -> AsyncIterator[AsyncSession]:
        """The unit of work of one socket send. On PostgreSQL the send is one statement
        (`haat.chat.repository.messages.store_message`), run autocommitted: one round trip, no
        BEGIN and COMMIT. Elsewhere a transaction, committed once."""
        if self.db.is_sqlite:
            async with session_scope(self.db) as session:
                yield session
            return
        async with self.db.write_engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            async with AsyncSession(bind=autocommit, expire_on_commit=False) as session:
                yield session

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Accept a connection with a valid access token of an active user."""
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str):
            raise socketio.exceptions.ConnectionRefusedError("unauthenticated")
        try:
            claims = decode_access_token(
                self.settings.secret_key, self.settings.jwt_algorithm, token
            )
            user_id = uuid.UUID(claims["sub"])
        except (jwt.InvalidTokenError, ValueError):
            raise socketio.exceptions.ConnectionRefusedError("unauthenticated") from None
        async with session_scope(self.db, write=False) as session:
            user = await get_user(session, user_id)
        if user is None or not user.is_active:
            raise socketio.exceptions.ConnectionRefusedError("unauthenticated")
        await self.sio.save_session(
            sid,
            {
                "user_id": str(user.id),
                "role": user.platform_role.value,
                "lang": user.preferred_language,
            },
        )

    async def on_disconnect(self, sid: str, *_reason: Any) -> None:
        self._joined.pop(sid, None)

    async def on_join(self, sid: str, data: Any) -> dict[str, Any]:
        """Enter a conversation's room after the participant check; the ack carries the
        messages missed since ``since``."""
        try:
            actor, lang = await self._actor(sid)
            conversation_id = _uuid(data)
        except Exception as exc:
            return _error(exc)
        try:
            since = data.get("since")
            async with session_scope(self.db, write=False) as session:
                conversation = await get_conversation(session, actor, conversation_id)
                # Enter first, then read: a message stored meanwhile comes twice (the
                # client drops the duplicate id), never not at all.
                await self.sio.enter_room(sid, room(conversation_id))
                self._joined.setdefault(sid, set()).add(conversation_id)
                missed: list[Message] = []
                if since:
                    missed, _ = await messages_of(
                        session, conversation, since=uuid.UUID(str(since)), limit=MAX_MISSED
                    )
                last_seq = conversation.last_seq
        except Exception as exc:
            await self.sio.leave_room(sid, room(conversation_id))
            self._joined.get(sid, set()).discard(conversation_id)
            return _error(exc)
        translated = await self.translations.translate_many(
            ((m.id, m.text, m.language) for m in missed), lang
        )
        return {
            "ok": True,
            "conversation_id": str(conversation_id),
            "last_seq": last_seq,
            "missed": [
                message_payload(m, translation=translated.get(m.id), language=lang) for m in missed
            ],
            "more": len(missed) == MAX_MISSED,
        }

    async def on_leave(self, sid: str, data: Any) -> dict[str, Any]:
        try:
            conversation_id = _uuid(data)
        except Exception as exc:
            return _error(exc)
        await self.sio.leave_room(sid, room(conversation_id))
        self._joined.get(sid, set()).discard(conversation_id)
        return {"ok": True}

    async def on_send(self, sid: str, data: Any) -> dict[str, Any]:
        """Store a text message (committed), then emit it to the room."""
        try:
            actor, conversation_id = await self._joined_actor(sid, data)
            text = str(data.get("text", ""))
            user_id = actor.require_user()
            await self.socket_limiter.hit(
                self.settings.chat_send_limit,
                "chat-send",
                str(user_id),
                detail="Too many messages; wait a moment",
            )
            async with self._send_scope() as session:
                message = await store_message(
                    session, conversation_id, user_id, text, language=detect_language(text)
                )
        except TooManyRequests as exc:
            return {**_error(exc), "retry_after": exc.retry_after}
        except Exception as exc:
            return _error(exc)
        await self.publish(message, skip_sid=sid)  # after the commit above
        return {"ok": True, "message": message_payload(message)}

    async def on_read(self, sid: str, data: Any) -> dict[str, Any]:
        """Move the read position (committed), then emit it to the room."""
        try:
            actor, conversation_id = await self._joined_actor(sid, data)
            seq = data.get("seq")
            async with session_scope(self.db) as session:
                state, unread = await mark_read(
                    session, actor, conversation_id, None if seq is None else int(seq), checked=True
                )
            event = {
                "conversation_id": str(conversation_id),
                "user_id": str(state.user_id),
                "last_read_seq": state.last_read_seq,
                "read_at": state.read_at.isoformat(),
            }
        except Exception as exc:
            return _error(exc)
        await self.sio.emit("read", event, room=room(conversation_id))
        return {"ok": True, **event, "unread": unread}

    async def on_typing(self, sid: str, data: Any) -> dict[str, Any]:
        """Relay a typing indicator to the others in the room."""
        try:
            actor, conversation_id = await self._joined_actor(sid, data)
        except Exception as exc:
            return _error(exc)
        await self.sio.emit(
            "typing",
            {
                "conversation_id": str(conversation_id),
                "user_id": str(actor.user_id),
                "typing": bool(data.get("typing", True)),
            },
            room=room(conversation_id),
            skip_sid=sid,
        )
        return {"ok": True}


# The app's hub, for a route's signature.
Hub = Annotated[ChatHub, Depends(provided(ChatHub))]
