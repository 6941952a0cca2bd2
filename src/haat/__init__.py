"""Haat: an open-source commerce platform for small businesses and artisans."""

__version__ = "0.1.0"
