"""Chat rules: who may see a conversation, starting one, sending, reading, history.

Participants of a conversation are its buyer and every member (any role) of its business.
Anyone else, platform admins included, gets 404: a conversation's existence is private.
Functions take a session and an `Actor` and never commit.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Uuid, and_, bindparam, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from haat.businesses.models import Business, Membership
from haat.businesses.service import member_business_ids
from haat.catalog.models import Product, ProductStatus
from haat.chat.models import Conversation, Message, ReadState
from haat.chat.schemas import MAX_TEXT, ConversationCreate
from haat.commerce.models import Order
from haat.core.db import Database, UTCDateTime, session_scope, utcnow
from haat.core.errors import NotFound, Unprocessable
from haat.identity.actor import Actor
from haat.identity.models import User

MAX_HISTORY = 100


class ConversationNotFound(NotFound):
    code, title = "conversation_not_found", "No such conversation"


@dataclass(frozen=True)
class ConversationRow:
    """A conversation as its participant lists it."""

    conversation: Conversation
    buyer_name: str
    business_name: str
    last_message: Message | None
    last_read_seq: int

    @property
    def unread(self) -> int:
        return max(0, self.conversation.last_seq - self.last_read_seq)


@dataclass(frozen=True)
class ImageUpload:
    """A processed chat image ready to store (see `haat.catalog.images.process_image`)."""

    key: str
    content_type: str
    width: int
    height: int


async def is_participant(
    session: AsyncSession, conversation: Conversation, user_id: uuid.UUID
) -> bool:
    """True for the buyer and for members of the conversation's business."""
    if conversation.buyer_id == user_id:
        return True
    member = await session.scalar(
        select(Membership.id).where(
            Membership.business_id == conversation.business_id, Membership.user_id == user_id
        )
    )
    return member is not None


async def get_conversation(
    session: AsyncSession, actor: Actor, conversation_id: uuid.UUID
) -> Conversation:
    """The conversation if ``actor`` takes part in it. Raises `Unauthenticated` when
    anonymous and `ConversationNotFound` (404) when it does not exist or the actor is not a
    participant."""
    user_id = actor.require_user()
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or not await is_participant(session, conversation, user_id):
        raise ConversationNotFound()
    return conversation


async def start_conversation(
    session: AsyncSession, actor: Actor, data: ConversationCreate
) -> Conversation:
    """The caller's conversation with ``data.business_id`` about the given product or order,
    created when it does not exist yet (the same triple always gives the same conversation).

    The product must be an approved product of that business and the order one of the
    caller's own orders from it (else 404, as for a business that does not exist). Members of
    the business cannot open a conversation with it as a buyer (422).
    """
    user_id = actor.require_user()
    business = await session.get(Business, data.business_id)
    if business is None:
        raise NotFound("No such business")
    if data.product_id is not None:
        product = await session.get(Product, data.product_id)
        if (
            product is None
            or product.business_id != business.id
            or product.status != ProductStatus.APPROVED
        ):
            raise NotFound("No such product")
    if data.order_id is not None:
        order = await session.get(Order, data.order_id)
        if order is None or order.business_id != business.id or order.buyer_id != user_id:
            raise NotFound("No such order")
    if business.id in await member_business_ids(session, actor):
        raise Unprocessable("You answer this business's conversations; you cannot open one with it")
    existing = await session.scalar(
        select(Conversation).where(
            Conversation.buyer_id == user_id,
            Conversation.business_id == business.id,
            Conversation.product_id.is_(None)
            if data.product_id is None
            else Conversation.product_id == data.product_id,
            Conversation.order_id.is_(None)
            if data.order_id is None
            else Conversation.order_id == data.order_id,
        )
    )
    if existing is not None:
        return existing
    now = utcnow()
    conversation = Conversation(
        buyer_id=user_id,
        business_id=business.id,
        product_id=data.product_id,
        order_id=data.order_id,
        last_seq=0,
        created_at=now,
        last_message_at=now,
    )
    session.add(conversation)
    await session.flush()
    return conversation


def _mine(user_id: uuid.UUID, business_ids: list[uuid.UUID]) -> object:
    if business_ids:
        return or_(Conversation.buyer_id == user_id, Conversation.business_id.in_(business_ids))
    return Conversation.buyer_id == user_id


async def list_conversations(
    session: AsyncSession,
    actor: Actor,
    *,
    page: int = 1,
    per_page: int = 20,
    business_id: uuid.UUID | None = None,
) -> tuple[list[ConversationRow], int]:
    """The caller's conversations (as buyer and as member of businesses), latest activity
    first, each with its last message and the caller's unread count. One query for the page
    and one to count. ``business_id`` keeps one business's conversations (the seller
    portal; empty unless the caller is a member). Returns ``(rows, total)``."""
    user_id = actor.require_user()
    business_ids = await member_business_ids(session, actor)
    where = _mine(user_id, business_ids)
    if business_id is not None:
        where = and_(
            Conversation.business_id == business_id,
            Conversation.business_id.in_(business_ids),
        )
    total = await session.scalar(select(func.count()).select_from(Conversation).where(where))  # type: ignore[arg-type]
    buyer = aliased(User)
    last = aliased(Message)
    stmt = (
        select(
            Conversation,
            buyer.full_name,
            Business.name,
            last,
            func.coalesce(ReadState.last_read_seq, 0),
        )
        .join(buyer, buyer.id == Conversation.buyer_id)
        .join(Business, Business.id == Conversation.business_id)
        .outerjoin(
            last, and_(last.conversation_id == Conversation.id, last.seq == Conversation.last_seq)
        )
        .outerjoin(
            ReadState,
            and_(ReadState.conversation_id == Conversation.id, ReadState.user_id == user_id),
        )
        .where(where)  # type: ignore[arg-type]
        .order_by(Conversation.last_message_at.desc(), Conversation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [
        ConversationRow(
            conversation=c, buyer_name=b, business_name=n, last_message=m, last_read_seq=r
        )
        for c, b, n, m, r in (await session.execute(stmt)).all()
    ]
    return rows, int(total or 0)


def pages_of(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page)) if total else 0


async def history(
    session: AsyncSession,
    actor: Actor,
    conversation_id: uuid.UUID,
    *,
    before: int | None = None,
    since: uuid.UUID | None = None,
    limit: int = 50,
) -> tuple[list[Message], int | None]:
    """Messages of a conversation in ascending ``seq``, at most ``limit`` (1..100).

    ``before=N`` gives the latest messages with ``seq < N`` (older pages); ``since=<message
    id>`` gives the messages stored after that one (reconnect catch-up: call again with the
    last id received until fewer than ``limit`` come back). Neither: the latest messages.
    Returns ``(messages, next_before)``, ``next_before`` null when nothing older is left.
    Raises 404 for non-participants and for a ``since`` id not in this conversation.
    """
    conversation = await get_conversation(session, actor, conversation_id)
    return await messages_of(session, conversation, before=before, since=since, limit=limit)


async def messages_of(
    session: AsyncSession,
    conversation: Conversation,
    *,
    before: int | None = None,
    since: uuid.UUID | None = None,
    limit: int = 50,
) -> tuple[list[Message], int | None]:
    """`history` for a conversation the caller is known to take part in."""
    limit = max(1, min(limit, MAX_HISTORY))
    stmt = select(Message).where(Message.conversation_id == conversation.id)
    if since is not None:
        after = await session.scalar(
            select(Message.seq).where(
                Message.id == since, Message.conversation_id == conversation.id
            )
        )
        if after is None:
            raise NotFound("No such message in this conversation")
        found = list(
            await session.scalars(
                stmt.where(Message.seq > after).order_by(Message.seq).limit(limit)
            )
        )
        return found, None
    if before is not None:
        stmt = stmt.where(Message.seq < before)
    found = list(await session.scalars(stmt.order_by(Message.seq.desc()).limit(limit)))
    found.reverse()
    next_before = found[0].seq if found and found[0].seq > 1 else None
    return found, next_before


def _upsert_read(
    session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID, seq: int
) -> Any:
    """An INSERT ... ON CONFLICT that moves a read position forward only."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    stmt = insert(ReadState).values(
        conversation_id=conversation_id, user_id=user_id, last_read_seq=seq, read_at=now
    )
    return stmt.on_conflict_do_update(
        index_elements=[ReadState.conversation_id, ReadState.user_id],
        set_={
            "last_read_seq": func.max(ReadState.last_read_seq, seq)
            if dialect != "postgresql"
            else func.greatest(ReadState.last_read_seq, seq),
            "read_at": now,
        },
    )


def _check_text(text: str, image: ImageUpload | None) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise Unprocessable(f"A message has at most {MAX_TEXT} characters")
    if not text and image is None:
        raise Unprocessable("A message needs text or an image")
    return text


async def store_message(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    sender_id: uuid.UUID,
    text: str,
    *,
    language: str | None,
    image: ImageUpload | None = None,
) -> Message:
    """Store a message from a sender already known to take part (checked by the caller: the
    REST path through `send_message`, the socket path when the client joined the room).

    Three statements: the conversation's counter moves on (``UPDATE ... RETURNING``, which
    also orders concurrent senders), the message row, and the sender's read position (a
    sender has read what they answer). Raises 422 for empty or over-long text without image
    and 404 for a conversation that does not exist.
    """
    text = _check_text(text, image)
    now = utcnow()
    seq = await session.scalar(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_seq=Conversation.last_seq + 1, last_message_at=now)
        .returning(Conversation.last_seq)
    )
    if seq is None:
        raise ConversationNotFound()
    message = Message(
        id=uuid.uuid4(),
        conversation_id=conversation_id,
        seq=seq,
        sender_id=sender_id,
        text=text,
        language=language,
        created_at=now,
        image_key=image.key if image else None,
        image_content_type=image.content_type if image else None,
        image_width=image.width if image else None,
        image_height=image.height if image else None,
    )
    session.add(message)
    await session.flush()
    await session.execute(_upsert_read(session, conversation_id, sender_id, seq))
    return message


# PostgreSQL: the three writes of `store_message` as one statement (data-modifying CTEs run
# in one snapshot, atomically), so a socket send costs one round trip and no BEGIN/COMMIT.
_STORE_PG = text(
    """
    WITH c AS (
        UPDATE chat_conversations SET last_seq = last_seq + 1, last_message_at = :now
        WHERE id = :cid RETURNING last_seq
    ), m AS (
        INSERT INTO chat_messages (id, created_at, conversation_id, seq, sender_id, text, language)
        SELECT :mid, :now, :cid, c.last_seq, :uid, :text, :language FROM c
        RETURNING seq
    ), r AS (
        INSERT INTO chat_read_states (conversation_id, user_id, last_read_seq, read_at)
        SELECT :cid, :uid, m.seq, :now FROM m
        ON CONFLICT (conversation_id, user_id) DO UPDATE
        SET last_read_seq = GREATEST(chat_read_states.last_read_seq, EXCLUDED.last_read_seq),
            read_at = EXCLUDED.read_at
    )
    SELECT seq FROM m
    """
).bindparams(
    bindparam("cid", type_=Uuid()),
    bindparam("uid", type_=Uuid()),
    bindparam("mid", type_=Uuid()),
    bindparam("now", type_=UTCDateTime()),
)


async def store_text_message(
    db: Database,
    conversation_id: uuid.UUID,
    sender_id: uuid.UUID,
    text: str,
    *,
    language: str | None,
) -> Message:
    """`store_message` for a text message in its own committed transaction: on PostgreSQL
    one autocommitted statement, elsewhere the three statements in one transaction. Returns
    the stored message (detached); raises as `store_message` does."""
    if db.is_sqlite:
        async with session_scope(db) as session:
            return await store_message(session, conversation_id, sender_id, text, language=language)
    text = _check_text(text, None)
    now = utcnow()
    message_id = uuid.uuid4()
    async with db.write_engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        seq = await auto.scalar(
            _STORE_PG,
            {
                "cid": conversation_id,
                "uid": sender_id,
                "mid": message_id,
                "now": now,
                "text": text,
                "language": language,
            },
        )
    if seq is None:
        raise ConversationNotFound()
    return Message(
        id=message_id,
        conversation_id=conversation_id,
        seq=seq,
        sender_id=sender_id,
        text=text,
        language=language,
        created_at=now,
    )


async def send_message(
    session: AsyncSession,
    actor: Actor,
    conversation_id: uuid.UUID,
    text: str,
    *,
    language: str | None,
    image: ImageUpload | None = None,
) -> Message:
    """`store_message` after checking that ``actor`` takes part (404 otherwise)."""
    user_id = actor.require_user()
    await get_conversation(session, actor, conversation_id)
    return await store_message(
        session, conversation_id, user_id, text, language=language, image=image
    )


async def mark_read(
    session: AsyncSession,
    actor: Actor,
    conversation_id: uuid.UUID,
    seq: int | None = None,
    *,
    checked: bool = False,
) -> tuple[ReadState, int]:
    """Move the caller's read position to ``seq`` (default and cap: the latest message);
    it never moves back. ``checked`` skips the participant check (the socket path).
    Returns the read state and the caller's unread count after it. 404 for non-participants.
    """
    user_id = actor.require_user()
    if checked:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise ConversationNotFound()
    else:
        conversation = await get_conversation(session, actor, conversation_id)
    target = conversation.last_seq if seq is None else min(seq, conversation.last_seq)
    await session.execute(_upsert_read(session, conversation_id, user_id, target))
    state = await session.scalar(
        select(ReadState)
        .where(ReadState.conversation_id == conversation_id, ReadState.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    assert state is not None
    return state, max(0, conversation.last_seq - state.last_read_seq)


async def read_states(
    session: AsyncSession, actor: Actor, conversation_id: uuid.UUID
) -> list[ReadState]:
    """Every participant's read position in the conversation (read receipts)."""
    await get_conversation(session, actor, conversation_id)
    return list(
        await session.scalars(
            select(ReadState)
            .where(ReadState.conversation_id == conversation_id)
            .order_by(ReadState.read_at)
        )
    )


async def message_image(session: AsyncSession, actor: Actor, message_id: uuid.UUID) -> Message:
    """The message, if it has an image and ``actor`` takes part in its conversation (else
    404)."""
    message = await session.get(Message, message_id)
    if message is None or message.image_key is None:
        raise NotFound("No such image")
    await get_conversation(session, actor, message.conversation_id)
    return message


async def participant_languages(session: AsyncSession, conversation_id: uuid.UUID) -> set[str]:
    """The preferred languages of a conversation's buyer and its business's members, in one
    query (what a translator must produce for a new message)."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        return set()
    member_ids = select(Membership.user_id).where(
        Membership.business_id == conversation.business_id
    )
    rows = await session.scalars(
        select(User.preferred_language)
        .where(or_(User.id == conversation.buyer_id, User.id.in_(member_ids)))
        .distinct()
    )
    return set(rows)
