"""What every feature's conversation uses: the turn (who, where, sending cards), prompts, customer
lookup, the wording of domain errors, typed card submits and the injected services."""
