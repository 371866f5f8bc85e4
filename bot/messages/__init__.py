"""What the bot says about each kind of record, one module per family: its keys, its first post, the refresh
of that post when the record changes, and the DMs it sends about it. Everything goes through the outbox, inside
the caller's transaction, so a message exists exactly when the change it announces does.

`person` holds the one rule for answering a single person.
"""
