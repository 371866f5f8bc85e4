"""Block Kit builders: every message and view the bot shows, built with slack_sdk's models so limits are checked."""
