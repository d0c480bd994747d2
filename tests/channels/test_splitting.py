"""Splitting long replies at sentence ends, within Telegram's UTF-16 limit."""
from __future__ import annotations

from bot.channels.splitting import split_text, utf16_len


def test_short_text_is_untouched() -> None:
    assert split_text("Hello. How are you?", 4096) == ["Hello. How are you?"]


def test_splits_after_sentence_ends_in_every_script() -> None:
    text = "First one. Second one! هل أنت بخير؟ আমি ভালো আছি। Last"
    assert split_text(text, 24) == ["First one. Second one!", "هل أنت بخير؟", "আমি ভালো আছি। Last"]


def test_a_sentence_longer_than_the_limit_is_cut_between_words() -> None:
    chunks = split_text("word " * 50 + "end.", 42)
    assert all(utf16_len(c) <= 42 for c in chunks)
    assert " ".join(chunks).split() == ("word " * 50 + "end.").split()


def test_emoji_count_double_and_endless_words_are_cut() -> None:
    chunks = split_text("😀" * 10 + " " + "x" * 25, 10)
    assert all(utf16_len(c) <= 10 for c in chunks)
    assert "".join(chunks).replace(" ", "") == "😀" * 10 + "x" * 25
