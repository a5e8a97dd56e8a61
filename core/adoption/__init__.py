"""The plan inside the actors' own planning and its vision (DESIGN.md §8): records read, figures computed."""
