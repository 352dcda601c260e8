"""The grammar family (placeholder until implemented)."""
