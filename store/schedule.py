"""The scheduled jobs, imported by bot.scheduler so they register themselves."""
