"""Passage's custom actions (rasa_sdk). One capability per module; nothing happens at import time.

The action server calls the knowledge library (knowledge/) and never imports the gateway (bot/).
"""
