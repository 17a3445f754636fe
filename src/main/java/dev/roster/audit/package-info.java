/**
 * The audit log: every change, who made it, through which channel, and the state before and after. Written in the
 * same transaction as the change it describes, so a rolled-back change leaves no entry and a committed one always has.
 */
package dev.roster.audit;
