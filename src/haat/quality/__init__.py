"""Photo quality: grading of product photographs, advice, per-business minimum grades and an
optional provider's craftsmanship notes."""
