"""What people read, built from domain results: gettext loading and the message builders
that are not catalogs (status, complaints, …), the same on every channel."""
