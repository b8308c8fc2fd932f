from __future__ import annotations

import pytest

from nlu.embedded import EmbeddedInterpreter
from nlu.lexicon import Lexicon
from nlu.training import train


@pytest.fixture(scope="session")
def embedded() -> EmbeddedInterpreter:
    lexicon = Lexicon()
    return EmbeddedInterpreter(train(lexicon), lexicon)
