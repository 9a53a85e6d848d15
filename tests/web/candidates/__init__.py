"""The case list (/candidates): scope by role, search, filters, sorting, pages, escaping, scale."""
