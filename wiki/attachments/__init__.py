"""Files attached to pages and sheets: photos, reports, budgets (issue 7)."""
