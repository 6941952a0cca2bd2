"""Metal rates, live jewellery prices from them, and the rate trends."""
