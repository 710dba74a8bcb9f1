"""Conversation logic: waterfalls, prompts, card-submit handlers. No storage details, no HTTP."""
