"""The dossier's forms: registry, context builders, PDF rendering."""
