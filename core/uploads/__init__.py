"""The Excel contracts (progress, attendance, plan workbook): validate, apply as one batch, undo."""
