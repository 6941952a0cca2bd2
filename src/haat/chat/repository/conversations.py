"""Conversations: finding and adding them, and listing them with what their list shows (the
buyer's and the business's names, the last message, the reader's read position), joined in
one query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from haat.businesses.models import Business, Membership
from haat.catalog.models import Product, ProductStatus
from haat.chat.models import Conversation, Message, ReadState
from haat.commerce.models import Order
from haat.core import repository
from haat.core.pagination import COUNT_CAP, PageParams
from haat.identity.models import User

# One listed conversation: (conversation, buyer's name, business's name, last message or
# None, the reader's last read seq).
Listed = tuple[Conversation, str, str, Message | None, int]


@dataclass(frozen=True)
class Mine:
    """Which conversations a reader lists: theirs as buyer and those of ``business_ids``
    (the businesses they belong to); with ``only_business``, only that one's (empty unless
    it is among ``business_ids``)."""

    user_id: uuid.UUID
    business_ids: list[uuid.UUID]
    only_business: uuid.UUID | None = None

    def where(self) -> ColumnElement[bool]:
        if self.only_business is not None:
            return and_(
                Conversation.business_id == self.only_business,
                Conversation.business_id.in_(self.business_ids),
            )
        if self.business_ids:
            return or_(
                Conversation.buyer_id == self.user_id,
                Conversation.business_id.in_(self.business_ids),
            )
        return Conversation.buyer_id == self.user_id


async def get_conversation(
    session: AsyncSession, conversation_id: uuid.UUID
) -> Conversation | None:
    """The conversation, or None."""
    return await repository.get(session, Conversation, conversation_id)


async def find_conversation(
    session: AsyncSession,
    buyer_id: uuid.UUID,
    business_id: uuid.UUID,
    product_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
) -> Conversation | None:
    """The buyer's conversation with the business about exactly this product and order
    (None matching None), or None."""
    return await session.scalar(
        select(Conversation).where(
            Conversation.buyer_id == buyer_id,
            Conversation.business_id == business_id,
            Conversation.product_id.is_(None)
            if product_id is None
            else Conversation.product_id == product_id,
            Conversation.order_id.is_(None)
            if order_id is None
            else Conversation.order_id == order_id,
        )
    )


async def add_conversation(session: AsyncSession, conversation: Conversation) -> None:
    """Store a new conversation (flushed)."""
    await repository.add(session, conversation)


async def product_seller(
    session: AsyncSession, product_id: uuid.UUID
) -> tuple[uuid.UUID, ProductStatus] | None:
    """``(business id, status)`` of a product, or None when there is no such product."""
    row = (
        await session.execute(
            select(Product.business_id, Product.status).where(Product.id == product_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def order_parties(
    session: AsyncSession, order_id: uuid.UUID
) -> tuple[uuid.UUID, uuid.UUID | None] | None:
    """``(business id, buyer id)`` of an order, or None when there is no such order."""
    row = (
        await session.execute(select(Order.business_id, Order.buyer_id).where(Order.id == order_id))
    ).first()
    return (row[0], row[1]) if row else None


def _listed(user_id: uuid.UUID) -> Select[Conversation, str, str, Message, int]:
    """Conversations with their names, last message and ``user_id``'s read position."""
    buyer = aliased(User)
    last = aliased(Message)
    return (
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
    )


async def list_conversations(
    session: AsyncSession, mine: Mine, params: PageParams
) -> tuple[list[Listed], int]:
    """One page of ``mine``, latest activity first, and their count (up to ``COUNT_CAP +
    1``, as `haat.core.repository.paginate` counts): two queries. For
    `haat.core.pagination.Page.of`."""
    where = mine.where()
    capped = select(Conversation.id).where(where).limit(COUNT_CAP + 1).subquery()
    total = await session.scalar(select(func.count()).select_from(capped))
    stmt = (
        _listed(mine.user_id)
        .where(where)
        .order_by(Conversation.last_message_at.desc(), Conversation.id)
        .limit(params.per_page)
        .offset(params.offset)
    )
    rows = (await session.execute(stmt)).all()
    return [(c, b, n, m, r) for c, b, n, m, r in rows], int(total or 0)


async def listed_conversation(
    session: AsyncSession, user_id: uuid.UUID, conversation_id: uuid.UUID
) -> Listed | None:
    """One conversation as `list_conversations` gives it to ``user_id``: one query."""
    row = (
        await session.execute(_listed(user_id).where(Conversation.id == conversation_id))
    ).first()
    if row is None:
        return None
    conversation, buyer_name, business_name, last, read = row
    return conversation, buyer_name, business_name, last, read


async def participant_languages(session: AsyncSession, conversation_id: uuid.UUID) -> set[str]:
    """The distinct preferred languages of the conversation's buyer and of its business's
    members (empty for no such conversation): one query."""
    talk = (
        select(Conversation.buyer_id, Conversation.business_id)
        .where(Conversation.id == conversation_id)
        .subquery()
    )
    members = select(Membership.user_id).join(talk, Membership.business_id == talk.c.business_id)
    rows = await session.scalars(
        select(User.preferred_language)
        .where(or_(User.id.in_(select(talk.c.buyer_id)), User.id.in_(members)))
        .distinct()
    )
    return set(rows)
