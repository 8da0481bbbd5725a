"""The staff home: every round, where it stands and what waits for staff."""
