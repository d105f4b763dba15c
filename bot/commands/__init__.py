"""Platform-neutral commands: parse arguments, run the lookup or admin action, return a Reply."""
