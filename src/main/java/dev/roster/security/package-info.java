/**
 * Who is calling and what they may do: sign-in (password, then the second factor), API tokens, sessions shared
 * through the database, and the per-request resolution of the organization a request acts in. Organization
 * endpoints are admin-only unless marked {@link dev.roster.shared.MemberAccess}.
 */
package dev.roster.security;
