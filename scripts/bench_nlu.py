"""`make bench-nlu`: intent, entity and language-detection quality on held-out data never trained on.

Prints, per language: intent accuracy and macro-F1, entity exact-match accuracy and micro-F1, and
language detection on messages of three words or fewer — Passage's detector next to raw
langdetect on the same messages.

`make bench-nlu-dev` (`--split dev`) does the same on the development set in tests/nlu_dev, which
is what training data and cue lists are tuned against; only there may `--errors` list the
misclassified messages. The held-out split stays unread so that its figures mean something.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "nlu_heldout"
DEV = ROOT / "tests" / "nlu_dev"
SPLITS = {"heldout": HELD_OUT, "dev": DEV}
MODEL = ROOT / "models" / "passage.tar.gz"
LANGS = ("en", "fr", "ar", "fa", "bn")


def load_examples(lang: str, folder: Path = HELD_OUT) -> list[tuple[str, str, set[tuple[str, str]]]]:
    return load_examples_from(folder / f"{lang}.yml")


def load_examples_from(path: Path) -> list[tuple[str, str, set[tuple[str, str]]]]:
    """(text, intent, gold entities) of each example in one Rasa NLU file."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().read(path)
    examples = []
    for message in data.intent_examples:
        gold = {(e["entity"], str(e["value"])) for e in message.get("entities") or []}
        examples.append((message.get("text"), message.get("intent"), gold))
    return examples


def raw_langdetect(text: str) -> str:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return detect(text)
    except LangDetectException:
        return "unknown"


def short_messages(lang: str, examples: list[tuple[str, str, set[tuple[str, str]]]], folder: Path) -> list[str]:
    """Messages of three words or fewer; the dev split adds its own list of short first messages."""
    # Requests to switch language are left out: their right answer is the language they ask for.
    short = [text for text, intent, _ in examples if len(text.split()) <= 3 and intent != "change_language"]
    extra = folder / "language_short.yml"
    if folder != HELD_OUT and extra.exists():
        import yaml

        short += [str(t) for t in yaml.safe_load(extra.read_text(encoding="utf-8")).get(lang, []) if len(str(t).split()) <= 3]
    return short


async def evaluate(split: str = "heldout", show_errors: bool = False) -> int:
    from rasa.core.agent import Agent
    from sklearn.metrics import accuracy_score, f1_score

    from bot.language import detect

    if not MODEL.exists():
        print(f"No model at {MODEL}; run `make train` first.", file=sys.stderr)
        return 1
    folder = SPLITS[split]
    agent = Agent.load(str(MODEL))
    print(f"split: {split} ({folder.relative_to(ROOT)})")
    header = f"{'lang':4} {'n':>4} {'intent acc':>10} {'macro-F1':>8} {'entity acc':>10} {'entity F1':>9} | {'short n':>7} {'Passage cold':>12} {'Passage in-conv':>15} {'langdetect':>10}"
    print(header)
    print("-" * len(header))
    totals: dict[str, list[float]] = defaultdict(list)
    for lang in LANGS:
        examples = load_examples(lang, folder)
        gold_intents, predicted_intents, errors = [], [], []
        entity_hits, tp, fp, fn = 0, 0, 0, 0
        for text, intent, gold in examples:
            parsed = await agent.parse_message(text)
            gold_intents.append(intent)
            predicted_intents.append(parsed["intent"]["name"])
            if predicted_intents[-1] != intent:
                errors.append(f"        {intent} → {predicted_intents[-1]} ({parsed['intent']['confidence']:.2f}): {text}")
            found = {(e["entity"], str(e["value"])) for e in parsed["entities"] if e.get("extractor") != "GatewayLanguage"}
            entity_hits += found == gold
            tp += len(found & gold)
            fp += len(found - gold)
            fn += len(gold - found)
        short = short_messages(lang, examples, folder)
        cold = sum(detect(t).language == lang for t in short) / max(1, len(short))
        in_conversation = sum(detect(t, previous=lang).language == lang for t in short) / max(1, len(short))
        raw = sum(raw_langdetect(t) == lang for t in short) / max(1, len(short))
        intent_acc = accuracy_score(gold_intents, predicted_intents)
        # macro over the gold intents: a fallback counts against recall, not as a class of its own
        macro_f1 = f1_score(gold_intents, predicted_intents, labels=sorted(set(gold_intents)), average="macro", zero_division=0)
        entity_acc = entity_hits / len(examples)
        entity_f1 = 2 * tp / max(1, 2 * tp + fp + fn)
        for key, value in [("intent", intent_acc), ("f1", macro_f1), ("eacc", entity_acc), ("ef1", entity_f1), ("cold", cold), ("conv", in_conversation), ("raw", raw)]:
            totals[key].append(value)
        print(f"{lang:4} {len(examples):4d} {intent_acc:10.3f} {macro_f1:8.4f} {entity_acc:10.3f} {entity_f1:9.3f} | {len(short):7d} {cold:12.4f} {in_conversation:15.3f} {raw:10.3f}")
        confusions = defaultdict(int)
        for g, p in zip(gold_intents, predicted_intents):
            if g != p:
                confusions[(g, p)] += 1
        worst = sorted(confusions.items(), key=lambda item: -item[1])[:3]
        if worst:
            print("      most confused: " + ", ".join(f"{g}→{p} ×{n}" for (g, p), n in worst))
        if show_errors:
            print("\n".join(errors))
            print("\n".join(f"        language {detect(t).language}≠{lang}: {t}" for t in short if detect(t).language != lang))
    mean = {key: sum(values) / len(values) for key, values in totals.items()}
    print("-" * len(header))
    print(f"{'mean':4} {'':4} {mean['intent']:10.3f} {mean['f1']:8.4f} {mean['eacc']:10.3f} {mean['ef1']:9.3f} | {'':7} {mean['cold']:12.4f} {mean['conv']:15.3f} {mean['raw']:10.3f}")
    print("Passage cold: first message, no history or hint. in-conv: the conversation's previous language is known.")
    return 0


def main() -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.CRITICAL)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="heldout")
    parser.add_argument("--errors", action="store_true", help="list misclassified messages (dev split only)")
    args = parser.parse_args()
    if args.errors and args.split != "dev":
        parser.error("--errors is for the dev split only: the held-out messages must not be read")
    return asyncio.run(evaluate(args.split, args.errors))


if __name__ == "__main__":
    sys.exit(main())
