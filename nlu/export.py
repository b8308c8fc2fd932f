"""`siyu nlu export-rasa DIR`: a Rasa 3 project a Rasa user can train as is (`rasa train`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from nlu.lexicon import DATA_DIR

CONFIG = """\
# Rasa 3 pipeline for Chinese shop messages (exported by `siyu nlu export-rasa`).
recipe: default.v1
language: zh
assistant_id: siyu-shop
pipeline:
  - name: JiebaTokenizer
  - name: RegexFeaturizer
    use_lookup_tables: true
    use_regexes: true
  - name: RegexEntityExtractor
    use_lookup_tables: true
    use_regexes: true
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 3
  - name: DIETClassifier
    epochs: 100
    constrain_similarities: true
  - name: EntitySynonymMapper
  - name: FallbackClassifier
    threshold: 0.45
    ambiguity_threshold: 0.1
policies:
  - name: RulePolicy
"""

REGEXES = """\
version: "3.1"
nlu:
- regex: order_no
  examples: |
    - [Ss][Yy]\\d{14}
- regex: tracking_no
  examples: |
    - (?<![A-Za-z0-9])(?:[A-Za-z]{1,4}\\d{9,18}|\\d{12,18})(?![A-Za-z0-9])
"""

RULES = """\
version: "3.1"
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: ask to rephrase when the NLU is unsure
  steps:
  - intent: nlu_fallback
  - action: utter_default
"""


def export_rasa(target: str | Path) -> list[Path]:
    """Write config.yml, domain.yml and data/*.yml under `target`; returns the files written."""
    root = Path(target)
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    written = [root / "config.yml", root / "domain.yml", data / "regex.yml", data / "rules.yml"]
    written[0].write_text(CONFIG, encoding="utf-8")
    shutil.copyfile(DATA_DIR / "domain.yml", written[1])
    written[2].write_text(REGEXES, encoding="utf-8")
    written[3].write_text(RULES, encoding="utf-8")
    for name in ("nlu.yml", "lookups.yml", "synonyms.yml"):
        shutil.copyfile(DATA_DIR / name, data / name)
        written.append(data / name)
    return written
