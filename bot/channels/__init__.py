"""Channels: how citizens reach the center (Telegram, SMS)."""
