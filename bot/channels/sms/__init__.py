"""The SMS channel: gateway adapters (Jasmin, a signed JSON webhook), the processor of
stored messages, the sender of the SMS outbox, and their runtime."""
