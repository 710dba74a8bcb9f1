-- The user's language (issue 18): chosen with `language de|en`, and their Teams client's.
ALTER TABLE user_preferences ADD COLUMN language text;
ALTER TABLE user_preferences ADD COLUMN client_language text;
