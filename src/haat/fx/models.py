"""Foreign-exchange rates by date, for showing prices in the buyer's currency."""
