package dev.roster.scim.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a SCIM handler that reads a JSON body, so {@link ScimMediaTypes} refuses another media type with 415 before
 * the body is read. The handlers read their bodies themselves (no {@code @RequestBody}), so this says it instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface JsonBody {
}
