"""The pages' one refusal path: a service said no (a `HaatError`), and the page says why.

Pages wrap the service calls whose refusals they show in `caught` (the page is rendered
again with the message and the refusal's status code) or `flashed` (the message is flashed
for the page the route redirects to)::

    async with refusals.caught(viewer, session) as refused:
        await cart.add_item(session, viewer.actor, product_id, quantity)
    if refused:
        return await _cart_page(viewer, session, refused.message, refused.status)

Either way the request's writes are rolled back first (but those a refusal keeps, such as a
counted wrong password), so the page that follows reloads what it shows from a clean session,
and the message is worded by `haat.web.messages.error_message` in the page's language.
Refusals outside these blocks (and the statuses a block ``passes``) reach the app's error
page (`haat.web.setup`): a 404 page, or the log-in page for 401.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Container
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.errors import HaatError
from haat.web.messages import error_message
from haat.web.viewer import Viewer


@dataclass
class Refusal:
    """A block's refusal and its words for the page: false while nothing was refused."""

    error: HaatError | None = None
    message: str = ""

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        """The refusal's HTTP status, for the page rendered again (200 when none)."""
        return self.error.status if self.error is not None else 200

    @property
    def headers(self) -> dict[str, str]:
        """The refusal's headers (``Retry-After`` of a rate limit, say)."""
        return self.error.headers if self.error is not None else {}


@asynccontextmanager
async def caught(
    viewer: Viewer,
    session: AsyncSession,
    *,
    flash: bool = False,
    passes: Container[int] = (),
    say: Callable[[HaatError], str | None] | None = None,
) -> AsyncIterator[Refusal]:
    """Catch a `HaatError` raised in the block: roll the request back (unless the error
    keeps its changes) and word it in the yielded `Refusal`, which ``flash`` also flashes
    as an error. Errors with a status in ``passes`` propagate (to the error page). ``say``
    gives the page's own words for the refusals it knows better (None: the usual ones)."""
    refusal = Refusal()
    try:
        yield refusal
    except HaatError as exc:
        if exc.status in passes:
            raise
        if not exc.keep_changes:
            await session.rollback()
        own = say(exc) if say is not None else None
        refusal.error = exc
        refusal.message = own or error_message(viewer, exc.code, exc.detail, exc.status)
        if flash:
            viewer.flash(refusal.message, "error")


def flashed(
    viewer: Viewer,
    session: AsyncSession,
    *,
    passes: Container[int] = (),
    say: Callable[[HaatError], str | None] | None = None,
) -> AbstractAsyncContextManager[Refusal]:
    """`caught`, flashing the refusal for the page the route redirects to."""
    return caught(viewer, session, flash=True, passes=passes, say=say)
