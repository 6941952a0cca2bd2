"""The `haat` command: serve, worker, demo, db upgrade, users create-admin, quality regrade,
ml list | train | promote | rollback, pricing import | seed, assistant index."""

from __future__ import annotations

import typer

from haat.cli import assistant, db, demo, ml, pricing, quality, serve, users

app = typer.Typer(help="Haat: commerce for small businesses and artisans.", no_args_is_help=True)
app.command()(serve.serve)
app.command()(serve.worker)
app.command()(demo.demo)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(quality.app, name="quality")
app.add_typer(ml.app, name="ml")
app.add_typer(pricing.app, name="pricing")
app.add_typer(assistant.app, name="assistant")
