"""Read models: the queries behind pages and reports, each filtered by ``workflow.policy.scope``."""
