"""`haat users`: user accounts."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from haat.cli.common import console, in_transaction
from haat.config import get_settings

app = typer.Typer(help="User accounts.", no_args_is_help=True)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="the admin's email")],
    name: Annotated[str, typer.Option(help="full name")] = "Platform admin",
    password: Annotated[
        str | None,
        typer.Option(
            help="password (prompted when omitted; or set HAAT_ADMIN_PASSWORD)",
            envvar="HAAT_ADMIN_PASSWORD",
        ),
    ] = None,
) -> None:
    """Create a platform admin, or promote the existing account with this email."""
    from haat.identity import service

    if password is None:
        password = getpass.getpass("Password: ")
    if len(password) < 8:
        raise typer.BadParameter("the password needs at least 8 characters")
    settings = get_settings()
    chosen = password

    async def create(session: AsyncSession) -> str:
        user = await service.create_admin(session, email, chosen, name)
        return f"{user.email} ({user.id})"

    console.print(f"[green]platform admin {in_transaction(settings, create)}[/green]")
