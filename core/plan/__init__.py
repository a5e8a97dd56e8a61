"""The plan's records: reference data, the rules every record keeps, the editor and merges."""
