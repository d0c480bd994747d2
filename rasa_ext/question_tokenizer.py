"""Rasa tokenizer: Rasa's whitespace tokenizer, with a question mark kept as a token of its own.

Rasa's WhitespaceTokenizer drops punctuation, so "حلب آمنة؟" (is Aleppo safe?) and "حلب آمنة" reach
the featurizers as the same words. People who write three words often have nothing else to show
they are asking: the question mark is what tells asking about a place (`ask_country_info`) from naming
it (`inform`), or asking whether an answer is right (`ask_sources`) from saying it is wrong
(`report_outdated`). Arabic and Persian "؟" and Latin "?" become the same token, a word
(QUESTION_TOKEN), so that the word featurizer counts it as well as the character one.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

QUESTION_MARKS = ("?", "؟")
QUESTION_TOKEN = "__question__"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class QuestionMarkTokenizer(WhitespaceTokenizer):
    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute) or ""
        position = max(text.rfind(mark) for mark in QUESTION_MARKS)
        if attribute != TEXT or position < 0 or any(t.start <= position < t.end for t in tokens):
            return tokens
        return sorted([*tokens, Token(QUESTION_TOKEN, position, position + 1)], key=lambda t: t.start)
