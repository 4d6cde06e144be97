"""E-mail: official letters to agencies and their responsible persons, through the outbox."""
