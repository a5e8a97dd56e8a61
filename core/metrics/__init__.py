"""The plan's figures (DESIGN §4): the snapshot, the one rule, breakdowns, the monthly curve, drill-downs."""
