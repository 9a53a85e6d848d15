"""The eligibility rules at their boundaries, one module per family of workflow/rules/."""
