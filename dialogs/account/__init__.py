"""A customer's record: status, history, report, touches, the pre-call brief and the lifecycle
stage."""
