"""Hindi: the Android media label only, so far (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(code="hi", name="हिन्दी", system={}, media=("<मीडिया के बिना>",))
