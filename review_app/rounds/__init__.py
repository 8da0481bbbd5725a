"""Review rounds: a proposed policy, its sections and its life cycle."""
