"""One trained interpreter per test session: training on the shipped data takes a few seconds."""

from __future__ import annotations

import pytest

from nlu.embedded import EmbeddedInterpreter
from nlu.lexicon import Lexicon
from nlu.training import train


@pytest.fixture(scope="session")
def interpreter() -> EmbeddedInterpreter:
    """Shared, with the shipped vocabulary only: tests must not add a catalog to it."""
    lexicon = Lexicon()
    return EmbeddedInterpreter(train(lexicon), lexicon)


@pytest.fixture()
def shop_interpreter(interpreter: EmbeddedInterpreter) -> EmbeddedInterpreter:
    """The same model with its own vocabulary, free to receive a catalog."""
    return EmbeddedInterpreter(interpreter.model, Lexicon(), interpreter.threshold)
