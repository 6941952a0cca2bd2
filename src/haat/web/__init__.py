"""The web UI: server-rendered pages (Jinja2 + HTMX) on top of the same services as the API.

`setup.install_web` mounts it on the app: page routes (`routes/`), templates, static files,
the signed session cookie, CSRF tokens, the Content-Security-Policy and gzip. Pages hold no
business rules: every decision is made by the domain services they call.
"""
