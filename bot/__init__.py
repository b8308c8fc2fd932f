"""The WeChat edge: protocol, dedup, the 5-second rule, dialogue, admin commands, Chinese texts."""
