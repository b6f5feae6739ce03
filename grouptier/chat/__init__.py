"""WhatsApp chat exports: reading them, and importing them into the Activity tab.

- `export`: read a `.txt` or `.zip` export into per-sender daily counts;
- `tally`: the counting pass over its lines; `ranges`: the same on several cores;
- `formats`: the header patterns and the tables compiled from `languages`;
- `dates`: the calendar dates of the dates as written (day-first or not, eras);
- `languages`: what WhatsApp writes in each phone language, as data;
  `phrases`: their system-line templates, compiled into one matcher;
- `importing`: an export into the sheet; `suggestions`: the member a sender
  nobody matched likely is.

Opening a file safely (zip limits, temporary files, SIGTERM) is `grouptier.chat_files`.
"""

__all__: list[str] = []
