"""The labelled demo plan: deterministic, loaded into an empty database."""
