-- Onboarding (issue 14 §4): an organization's getting-started page, set by its admins, and what each newcomer has
-- done of the checklist that cannot be read from elsewhere (opened the guide, looked at their teams and projects,
-- dismissed the checklist). organization_id is NULL for what belongs to the account alone.
ALTER TABLE organization ADD COLUMN getting_started_url VARCHAR(2000);

CREATE TABLE onboarding_step (
    account_id              UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    organization_id         UUID,
    step                    VARCHAR(32)  NOT NULL,
    done_at                 TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX onboarding_step_account_ix ON onboarding_step (account_id);
