-- The team role a group mapping gives with its team grants (MEMBER | MAINTAINER). A directory's grant carries the
-- role of its mappings (the highest when several map the member to one team); the member's role is still the highest
-- of every source's grant, so a directory never lowers what an admin gave by hand.
ALTER TABLE group_mapping ADD COLUMN team_role VARCHAR(16) DEFAULT 'MEMBER' NOT NULL;
ALTER TABLE sso_group_mapping ADD COLUMN team_role VARCHAR(16) DEFAULT 'MEMBER' NOT NULL;
