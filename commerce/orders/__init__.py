"""Orders: checkout, the order state machine, order numbers, shipping and timeouts."""
