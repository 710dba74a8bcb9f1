"""Conversation logic: waterfall dialogs, prompts and card-submit handlers. No storage details, no HTTP."""
