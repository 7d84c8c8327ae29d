"""Sending the letters (envoi.md): by e-mail through the Caf's SMTP server, and by post."""
