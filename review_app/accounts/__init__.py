"""Accounts, roles, sign-in and sessions."""
