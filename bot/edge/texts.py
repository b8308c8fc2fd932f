"""The edge's only user-facing sentences (the dialogue owns everything else, in bot/texts.py)."""

from __future__ import annotations

# The last line of defence when the dialogue itself raises.
APOLOGY = "抱歉，系统开小差了，请稍后再试～如需帮助请回复「转人工」。"
