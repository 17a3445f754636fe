package dev.roster.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint of the operator API ({@code ROSTER_OPERATOR_TOKEN}). The operator token opens only endpoints
 * carrying this annotation; {@code exclusive} ones (creating, listing, deleting, restoring organizations) open to
 * nothing else, the others (an organization's settings) to its admins too.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OperatorAccess {

    boolean exclusive() default true;
}
