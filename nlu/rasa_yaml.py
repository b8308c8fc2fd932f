"""Read and write Rasa 3 NLU YAML: intents with annotated examples, lookups, synonyms.

Annotations supported: `[两](quantity)`, `[顺丰](carrier:shunfeng)` and
`[顺丰]{"entity": "carrier", "value": "shunfeng"}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nlu.types import Entity

_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Entity, ...] = ()


@dataclass
class NluData:
    examples: list[Example] = field(default_factory=list)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # canonical -> variants
    regexes: dict[str, list[str]] = field(default_factory=dict)

    def extend(self, other: NluData) -> None:
        self.examples.extend(other.examples)
        for target, source in ((self.lookups, other.lookups), (self.synonyms, other.synonyms),
                               (self.regexes, other.regexes)):
            for key, values in source.items():
                target.setdefault(key, []).extend(values)


def parse_annotated(line: str, intent: str) -> Example:
    """Strip the annotations of one example line, keeping entity offsets."""
    plain: list[str] = []
    entities: list[Entity] = []
    pos = 0
    cursor = 0
    for match in _ANNOTATION.finditer(line):
        plain.append(line[pos:match.start()])
        cursor += match.start() - pos
        surface = match.group("text")
        name, value = _entity_spec(match)
        entities.append(Entity(name, surface, cursor, cursor + len(surface), value))
        plain.append(surface)
        cursor += len(surface)
        pos = match.end()
    plain.append(line[pos:])
    return Example("".join(plain), intent, tuple(entities))


def _entity_spec(match: re.Match[str]) -> tuple[str, str | None]:
    if match.group("json"):
        spec = json.loads(match.group("json"))
        return str(spec["entity"]), (str(spec["value"]) if "value" in spec else None)
    short = match.group("short")
    name, _, value = short.partition(":")
    return name.strip(), (value.strip() or None)


def _items(block: str) -> list[str]:
    out = []
    for raw in block.splitlines():
        line = raw.strip()
        if line.startswith("- "):
            line = line[2:].strip()
        elif line == "-":
            continue
        if line:
            out.append(line)
    return out


def loads(text: str) -> NluData:
    doc = yaml.safe_load(text) or {}
    data = NluData()
    for item in doc.get("nlu") or []:
        examples = _items(str(item.get("examples") or ""))
        if "intent" in item:
            data.examples.extend(parse_annotated(e, str(item["intent"])) for e in examples)
        elif "lookup" in item:
            data.lookups.setdefault(str(item["lookup"]), []).extend(examples)
        elif "synonym" in item:
            data.synonyms.setdefault(str(item["synonym"]), []).extend(examples)
        elif "regex" in item:
            data.regexes.setdefault(str(item["regex"]), []).extend(examples)
    return data


def load(*paths: str | Path) -> NluData:
    data = NluData()
    for path in paths:
        data.extend(loads(Path(path).read_text(encoding="utf-8")))
    return data


def annotate(example: Example) -> str:
    """The example as one Rasa training line with inline annotations."""
    out, pos = [], 0
    for ent in sorted(example.entities, key=lambda e: e.start):
        out.append(example.text[pos:ent.start])
        surface = example.text[ent.start:ent.end]
        if ent.normalized is not None and str(ent.normalized) != surface:
            spec = json.dumps({"entity": ent.entity, "value": str(ent.normalized)}, ensure_ascii=False)
            out.append(f"[{surface}]{spec}")
        else:
            out.append(f"[{surface}]({ent.entity})")
        pos = ent.end
    out.append(example.text[pos:])
    return "".join(out)


def _block(lines: Iterable[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


def dumps(data: NluData) -> str:
    """Rasa 3 `nlu:` YAML for `data` (intents grouped in first-seen order)."""
    by_intent: dict[str, list[str]] = {}
    for ex in data.examples:
        by_intent.setdefault(ex.intent, []).append(annotate(ex))
    items: list[dict[str, str]] = [{"intent": k, "examples": _block(v)} for k, v in by_intent.items()]
    items += [{"lookup": k, "examples": _block(v)} for k, v in data.lookups.items()]
    items += [{"synonym": k, "examples": _block(v)} for k, v in data.synonyms.items()]
    items += [{"regex": k, "examples": _block(v)} for k, v in data.regexes.items()]
    return yaml.dump({"version": "3.1", "nlu": items}, allow_unicode=True, sort_keys=False, width=1000,
                     Dumper=_LiteralDumper)


class _LiteralDumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _str_presenter)
