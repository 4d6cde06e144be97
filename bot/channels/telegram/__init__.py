"""The Telegram channel: inbox, outbox sender, polling and webhook runners."""
