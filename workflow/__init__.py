"""The admission procedure as plain Python: states, transitions, rules, policy, use cases."""
