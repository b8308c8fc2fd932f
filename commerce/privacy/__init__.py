"""Personal data: encryption at rest, consent, export and deletion."""
