"""A quick stand-in for `make bench-nlu-dev`, for whoever writes training data.

Training the whole Rasa model takes minutes and writes models/; this fits the same kind of model
(folded text, word and character n-grams, logistic regression) with scikit-learn straight
from data/nlu/ and scores it on the development set, so several people can try data at once.
Its figures approximate the real pipeline's; `make bench-nlu-dev` is the one that counts.
It never reads tests/nlu_heldout. Usage: python -m scripts.nlu_quick [--lang fr] [--errors]
[--extra draft.yml] [--audit]. `--audit` lists training examples whose label the rest of the data
contradicts (5-fold cross-validation) and texts that fold to the same string under two intents:
the places where writers drew an intent's boundary differently.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from rasa_ext.normalise import fold
from scripts.bench_nlu import load_examples_from

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "fr", "ar", "fa", "bn")


def _examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) of each example, read by Rasa's own reader (entity mark-up removed)."""
    return [(text, intent) for text, intent, _ in load_examples_from(path)]


def _training_files(extra: list[Path]) -> list[Path]:
    return sorted((ROOT / "data" / "nlu").glob("*.yml")) + extra


def training_set(extra: list[Path] | None = None) -> list[tuple[str, str]]:
    return [ex for path in _training_files(list(extra or [])) for ex in _examples(path)]


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    # sublinear tf-idf, unit length per vectoriser: what rasa_ext/logistic_regression.py does to Rasa's counts
    words = TfidfVectorizer(token_pattern=r"(?u)\b\w\w+\b|\b\w\b", sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
    return words, chars


def _fit(texts: list[str], labels: list[str]) -> tuple[Any, Callable[[list[str]], Any]]:
    """The model's classes, and a function giving the probabilities of each class for new texts."""
    words, chars = _vectorisers()
    x = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    model = LogisticRegression(C=30, max_iter=1000, random_state=42).fit(x, labels)
    return model.classes_, lambda new: model.predict_proba(hstack([words.transform(new), chars.transform(new)]).tocsr())


def _language_of(path: Path) -> str:
    """`fr.yml`, `screening_fr.yml` and a draft such as `fr_round3.yml` are all French."""
    return next((part for part in path.stem.split("_") if part in LANGS), path.stem)


def audit(langs: tuple[str, ...], extra: list[Path], threshold: float = 0.6) -> None:
    """Print label conflicts in the training data of `langs`, worst first."""
    from sklearn.model_selection import StratifiedKFold

    rows = [(text, intent, _language_of(path), path.name) for path in _training_files(extra) for text, intent in _examples(path)]
    folded = [fold(text) for text, *_ in rows]
    labels = [intent for _, intent, *_ in rows]
    seen: dict[str, set[str]] = {}
    for text, (_, intent, lang, _) in zip(folded, rows):
        if lang in langs:
            seen.setdefault(" ".join(text.split()), set()).add(intent)
    clashes = sorted((text, intents) for text, intents in seen.items() if len(intents) > 1)
    disputed: list[tuple[float, str, str, str, str]] = []
    for fit_rows, test_rows in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(folded, labels):
        wanted = [i for i in test_rows if rows[i][2] in langs]
        if not wanted:
            continue
        classes, probabilities = _fit([folded[i] for i in fit_rows], [labels[i] for i in fit_rows])
        for i, p in zip(wanted, probabilities([folded[i] for i in wanted])):
            best = classes[p.argmax()]
            if best != labels[i] and p.max() >= threshold:
                disputed.append((p.max(), rows[i][3], labels[i], best, rows[i][0]))
    print(f"{len(clashes)} texts fold to the same string under two intents:")
    for text, intents in clashes:
        print(f"    {' / '.join(sorted(intents))}: {text}")
    print(f"{len(disputed)} examples the rest of the data labels otherwise (p ≥ {threshold}):")
    for p, name, gold, best, text in sorted(disputed, reverse=True):
        print(f"    {name} {gold} → {best} ({p:.2f}): {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, action="append", help="only these languages (repeatable)")
    parser.add_argument("--errors", action="store_true", help="list the misclassified dev messages")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="a draft NLU file to train on as well")
    parser.add_argument("--audit", action="store_true", help="list label conflicts in the training data instead")
    args = parser.parse_args()
    missing = [str(path) for path in args.extra if not path.exists()]
    if missing:
        parser.error(f"no such draft file: {', '.join(missing)}")
    if args.audit:
        audit(tuple(args.lang or LANGS), args.extra)
        return 0
    train = training_set(args.extra)
    classes, probabilities = _fit([fold(t) for t, _ in train], [i for _, i in train])
    print(f"trained on {len(train)} examples")
    for lang in args.lang or LANGS:
        dev = _examples(ROOT / "tests" / "nlu_dev" / f"{lang}.yml")
        probs = probabilities([fold(t) for t, _ in dev])
        predicted = [classes[p.argmax()] if p.max() >= 0.25 else "nlu_fallback" for p in probs]
        gold = [i for _, i in dev]
        f1 = f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0)
        accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
        confused = Counter((g, p) for g, p in zip(gold, predicted) if g != p).most_common(4)
        print(f"{lang}: n={len(dev)} acc={accuracy:.3f} macro-F1={f1:.3f}  " + ", ".join(f"{g}→{p}×{n}" for (g, p), n in confused))
        if args.errors:
            for (text, g), p in zip(dev, predicted):
                if g != p:
                    print(f"    {g} → {p}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
