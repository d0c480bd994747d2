"""Passage's gateway: channels, language detection, pseudonyms, handoff routing, console, CLI.

Data flows one way: channel → gateway → Rasa (HTTP) → action server → knowledge. The gateway never
imports the action server, and Rasa never imports the gateway.
"""
