"""Reading articles from files, folders, feeds and web pages into drafts for the store."""
