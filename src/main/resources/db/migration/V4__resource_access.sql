-- What a member reaches is the organization's shared resources, their personal ones and their teams' ones
-- (see ResourceRepository). Personal and team resources are found through resource_owner_member_ix and
-- resource_owner_team_ix (V1); this index finds the shared ones of one organization, in list order, without
-- reading the organization's other resources.
CREATE INDEX resource_org_owner_ix ON resource (organization_id, owner_type, kind, name_normalized);
