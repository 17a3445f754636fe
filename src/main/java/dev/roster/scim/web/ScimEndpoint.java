package dev.roster.scim.web;

/** Marks the controllers of the SCIM protocol, whose errors are written in the SCIM error schema. */
interface ScimEndpoint {
}
