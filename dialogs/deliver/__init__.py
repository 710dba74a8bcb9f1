"""Deliver and ensure: the delivery log and the review that closes an iteration."""
