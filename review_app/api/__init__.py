"""The open-data JSON API under /api/v1/."""
