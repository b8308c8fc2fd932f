"""Entity extraction: regexes for numbers and identifiers, lookups for names, then resolution."""
