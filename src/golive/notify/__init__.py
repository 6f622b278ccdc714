"""In-app notifications: what the bell in the viewer site shows an account, and which reminders it wants emailed."""
