"""A character n-gram model of which of Passage's languages a text is in, learned from its NLU data.

langdetect's profiles come from Wikipedia prose; Passage's users send "bye a bientot", "grand merci a
vous", "man vajed sharayet hastam?". The NLU training files hold thousands of messages written the way
they type, one file per language, so a naive Bayes model over their character n-grams and words
knows those. It is fitted once per process (about a second) from the files in `data/nlu/`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import yaml
from scipy.special import logsumexp

NLU_DIR = Path(__file__).resolve().parent.parent / "data" / "nlu"
ALPHA = 0.05  # additive smoothing: small, so a word seen in one language's data counts for it
_MARKUP = re.compile(r"\[([^\]]+)\][({][^)}]*[)}]")  # Rasa's entity mark-up: [Dakar](country) → Dakar


def training_texts(languages: Iterable[str], nlu_dir: Path = NLU_DIR) -> dict[str, list[str]]:
    """Every training example of each language: `<lang>.yml` and `screening_<lang>.yml`."""
    texts: dict[str, list[str]] = {}
    for lang in languages:
        found = []
        for path in (nlu_dir / f"{lang}.yml", nlu_dir / f"screening_{lang}.yml"):
            if not path.exists():
                continue
            for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
                for line in str(item.get("examples", "")).splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        found.append(_MARKUP.sub(r"\1", line[2:]))
        if not found:
            raise FileNotFoundError(f"no NLU training examples for {lang!r} in {nlu_dir}: the language model needs them")
        texts[lang] = found
    return texts


def _features(text: str) -> list[str]:
    """Character 1–4-grams within each word (padded by spaces), and the words themselves."""
    features = []
    for word in text.split():
        padded = f" {word} "
        features.append(word)
        features.extend(padded[i : i + n] for n in range(1, 5) for i in range(len(padded) - n + 1))
    return features


class LanguageModel:
    """scikit-learn's multinomial naive Bayes over those features."""

    def __init__(self, texts: dict[str, list[str]], normalise: Callable[[str], str]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.naive_bayes import MultinomialNB

        self._vectoriser = CountVectorizer(analyzer=lambda text: _features(normalise(text)))
        features = self._vectoriser.fit_transform([text for items in texts.values() for text in items])
        self._model = MultinomialNB(alpha=ALPHA).fit(features, [lang for lang, items in texts.items() for _ in items])
        self._feature_log_prob_t = np.ascontiguousarray(self._model.feature_log_prob_.T)

    def log_probabilities(self, text: str) -> dict[str, float]:
        """Log probability of each language; features none of the training data holds are ignored."""
        # predict_log_proba's own arithmetic, without its input checks (they were most of the time).
        joint = (self._vectoriser.transform([text]) @ self._feature_log_prob_t).ravel() + self._model.class_log_prior_
        return dict(zip(self._model.classes_, joint - logsumexp(joint)))
