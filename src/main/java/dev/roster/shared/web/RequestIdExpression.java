package dev.roster.shared.web;

import org.springframework.stereotype.Component;

/** {@code ${@requestIds.current()}} in templates: the error pages show the request id a report should quote. */
@Component("requestIds")
class RequestIdExpression {

    public String current() {
        return RequestIds.current();
    }
}
