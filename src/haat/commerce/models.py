"""Carts, favorites, orders and their status history."""
