"""Demo marketplace: packaged real data and the content generated from it."""
