"""Watch mode: audit each file dropped into a folder once it is complete, and file it."""
