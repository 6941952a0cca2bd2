"""The SQL of carts, favourites, orders and checkouts, one module per table group."""
