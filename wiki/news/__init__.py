"""News from the field: short dated reports on a sheet or a group page, written from a phone."""
