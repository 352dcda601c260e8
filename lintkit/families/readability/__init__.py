"""The readability family (placeholder until implemented)."""
