"""How the plan lives in the planning of others and in the institutions (DESIGN.md §8)."""
