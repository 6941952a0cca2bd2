"""Conversations: who takes part, starting one, listing the caller's.

Participants of a conversation are its buyer and every member (any role) of its business.
Anyone else, platform admins included, gets 404: a conversation's existence is private.
Functions take a session and an `Actor` and never commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import get_business, member_business_ids
from haat.catalog.models import ProductStatus
from haat.chat.models import Conversation, Message
from haat.chat.repository import conversations as repository
from haat.chat.schemas import ConversationCreate
from haat.core.db import utcnow
from haat.core.errors import NotFound, Unprocessable
from haat.core.pagination import PageParams
from haat.identity.actor import Actor


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


async def _takes_part(session: AsyncSession, actor: Actor, conversation: Conversation) -> bool:
    """True for the conversation's buyer and the members of its business."""
    if conversation.buyer_id == actor.user_id:
        return True
    return conversation.business_id in await member_business_ids(session, actor)


async def get_conversation(
    session: AsyncSession, actor: Actor, conversation_id: uuid.UUID
) -> Conversation:
    """The conversation if ``actor`` takes part in it. Raises `Unauthenticated` when
    anonymous and `ConversationNotFound` (404) when it does not exist or the actor is not a
    participant."""
    actor.require_user()
    conversation = await repository.get_conversation(session, conversation_id)
    if conversation is None or not await _takes_part(session, actor, conversation):
        raise ConversationNotFound()
    return conversation


async def existing_conversation(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation:
    """The conversation, for a caller already known to take part (a joined socket room);
    `ConversationNotFound` when it is gone."""
    conversation = await repository.get_conversation(session, conversation_id)
    if conversation is None:
        raise ConversationNotFound()
    return conversation


async def _check_subject(
    session: AsyncSession, user_id: uuid.UUID, business_id: uuid.UUID, data: ConversationCreate
) -> None:
    """404 unless the product is an approved product of the business and the order one of
    the caller's orders from it."""
    if data.product_id is not None:
        product = await repository.product_seller(session, data.product_id)
        if product is None or product != (business_id, ProductStatus.APPROVED):
            raise NotFound("No such product")
    if data.order_id is not None:
        order = await repository.order_parties(session, data.order_id)
        if order is None or order != (business_id, user_id):
            raise NotFound("No such order")


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
    business = await get_business(session, data.business_id)
    await _check_subject(session, user_id, business.id, data)
    if business.id in await member_business_ids(session, actor):
        raise Unprocessable("You answer this business's conversations; you cannot open one with it")
    existing = await repository.find_conversation(
        session, user_id, business.id, data.product_id, data.order_id
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
    await repository.add_conversation(session, conversation)
    return conversation


async def list_conversations(
    session: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    business_id: uuid.UUID | None = None,
) -> tuple[list[ConversationRow], int]:
    """The caller's conversations (as buyer and as member of businesses), latest activity
    first, each with its last message and the caller's unread count. One query for the page
    and one to count. ``business_id`` keeps one business's conversations (the seller
    portal; empty unless the caller is a member). Returns ``(rows, counted)`` for
    `haat.core.pagination.Page.of`."""
    user_id = actor.require_user()
    mine = repository.Mine(user_id, await member_business_ids(session, actor), business_id)
    rows, counted = await repository.list_conversations(session, mine, params)
    return [ConversationRow(*row) for row in rows], counted


async def conversation_row(
    session: AsyncSession, actor: Actor, conversation_id: uuid.UUID
) -> ConversationRow:
    """One conversation as `list_conversations` shows it to ``actor``, in one query, for a
    caller who takes part in it (checked by `get_conversation` or `start_conversation`)."""
    row = await repository.listed_conversation(session, actor.require_user(), conversation_id)
    if row is None:
        raise ConversationNotFound()
    return ConversationRow(*row)


async def participant_languages(session: AsyncSession, conversation_id: uuid.UUID) -> set[str]:
    """The preferred languages of a conversation's buyer and its business's members, in one
    query (what a translator must produce for a new message)."""
    return await repository.participant_languages(session, conversation_id)
