"""Passage's additions to Rasa: a text normaliser, a gazetteer entity extractor, the gateway channel.

These modules run inside the Rasa server process; they never import the gateway (bot/) or the
action server (actions/).
"""
