"""Model registry: versioned, trained models with their metrics, artefacts and status."""
