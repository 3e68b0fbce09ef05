"""What a checked spec means: the Plan, the score IR every rule kind lowers to, domains, units, numbers, wording."""
