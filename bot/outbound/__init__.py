"""Everything the bot sends, in one place: retry rules (`retry`), pacing (`pacing`) and sending a
card into a stored conversation (`sending`). Replies within a turn use the same retry loop
(bot/transport.py). Import the submodules: `retry` and `pacing` import no botbuilder, and this
package imports nothing, so botbuilder-free code (the reminder sweep) can use them."""
