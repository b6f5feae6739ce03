"""The invisible characters phones write into chat lines and names.

Direction marks, the Arabic letter mark, embedding and isolate controls and
the byte-order mark: never part of a name or a wording. Kept apart from
`formats`, which compiles every language's tables, so that reading a phone
number (`grouptier.phones`) does not load them.
"""

INVISIBLE = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
