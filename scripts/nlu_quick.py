"""A seconds-long stand-in for `make bench-nlu-dev`, for whoever writes training data.

Training the whole Rasa model takes minutes and writes models/; this fits the same kind of model
(folded text, word and character n-grams, logistic regression) with scikit-learn straight
from data/nlu/ and scores it on the development set, so several people can try data at once.
Its figures approximate the real pipeline's; `make bench-nlu-dev` is the one that counts.
It never reads tests/nlu_heldout. Usage: python -m scripts.nlu_quick [--lang fr] [--errors]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

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


def training_set() -> list[tuple[str, str]]:
    return [ex for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for ex in _examples(path)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, action="append", help="only these languages (repeatable)")
    parser.add_argument("--errors", action="store_true", help="list the misclassified dev messages")
    args = parser.parse_args()
    train = training_set()
    texts = [fold(t) for t, _ in train]
    # tf-idf instead of the pipeline's raw counts: the same kind of linear model, fitted 5× faster
    words = TfidfVectorizer(token_pattern=r"(?u)\b\w\w+\b|\b\w\b", sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
    features = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    model = LogisticRegression(C=30, max_iter=1000, random_state=42).fit(features, [i for _, i in train])
    print(f"trained on {len(train)} examples")
    for lang in args.lang or LANGS:
        dev = _examples(ROOT / "tests" / "nlu_dev" / f"{lang}.yml")
        folded = [fold(t) for t, _ in dev]
        x = hstack([words.transform(folded), chars.transform(folded)]).tocsr()
        probs = model.predict_proba(x)
        predicted = [model.classes_[p.argmax()] if p.max() >= 0.25 else "nlu_fallback" for p in probs]
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
