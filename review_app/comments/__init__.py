"""Residents' comments, replies, supports and demographic answers."""
