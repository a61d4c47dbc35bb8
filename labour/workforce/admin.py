"""No admin pages: roster rows hold personal data that only their participant may
see in full (operators read the audit log in /ops/)."""
