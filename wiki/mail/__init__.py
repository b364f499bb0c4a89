"""Optional e-mail: messages are queued in the database and sent by `flask --app wiki digest
send` (cron) with retries, so that a save or a form never waits on, nor breaks with, SMTP."""
