"""Spreadsheets in and out: safe reading, tolerant cell values, contract specs, problems, written workbooks."""
