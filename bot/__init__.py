"""Bot Framework and hosting glue: settings, adapter, Teams handler, routes. Only this and dialogs/
import botbuilder."""
