"""Words, Markdown, iCalendar and HTML: answers written for people and files."""
