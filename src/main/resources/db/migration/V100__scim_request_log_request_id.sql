-- The id of the request (X-Request-Id, shown in every error body), so an IdP admin's report leads to its entry.
ALTER TABLE scim_request_log ADD COLUMN request_id VARCHAR(64);
