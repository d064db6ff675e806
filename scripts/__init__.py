"""Build steps that derive committed data from public sources (run from the project root)."""
