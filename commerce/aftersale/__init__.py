"""After-sale: refund and return requests (rules in `rules.py`, state machine in `states.py`)."""
