"""The runtimes: the Telegram bot (polling or webhook, with its worker processes), the SMS
channel, the terminal chat, and the loop each of their workers runs."""
