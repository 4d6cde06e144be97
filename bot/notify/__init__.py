"""Telling people things on their own channel: a citizen on Telegram or SMS, staff in
Telegram and by e-mail, agencies and the quality-control body by letter; always staged in
the caller's transaction, through the outbox."""
