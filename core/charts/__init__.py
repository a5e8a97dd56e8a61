"""Plotly figures from breakdown frames: pure functions DataFrame -> Figure."""
