"""The web console for the people behind the bot: operators, administrators and agency
staff. Server-rendered pages over the same use cases the CLI and Telegram call, on a
listener of its own (never the public webhook's)."""
