"""briefbot's bot: the command layer, the chat adapters, the scheduler and the command line."""
