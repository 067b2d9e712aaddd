-- The console's interface language, kept per account (the switch in the console's header sets it).
-- Accounts that exist already keep English, the only language the console had when they were made; new
-- accounts start in Mongolian, the language of the teams survey is made for.
ALTER TABLE account ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('mn', 'en'));
ALTER TABLE account ALTER COLUMN language SET DEFAULT 'mn';
