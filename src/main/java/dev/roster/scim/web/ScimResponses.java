package dev.roster.scim.web;

import java.io.IOException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.roster.scim.protocol.ScimJson;

/**
 * Every SCIM answer is {@code application/scim+json} (RFC 7644 section 3.1), whatever the client accepts. The
 * handlers write theirs to the servlet response directly; the exception handler answers with a
 * {@link ResponseEntity} of the same shape.
 */
final class ScimResponses {

    private ScimResponses() {
    }

    static ResponseEntity<byte[]> ok(ObjectNode body) {
        return of(HttpStatus.OK, body, null);
    }

    static ResponseEntity<byte[]> of(HttpStatus status, ObjectNode body, HttpHeaders extra) {
        HttpHeaders headers = new HttpHeaders();
        if (extra != null) {
            headers.putAll(extra);
        }
        headers.set(HttpHeaders.CONTENT_TYPE, ScimJson.CONTENT_TYPE);
        return new ResponseEntity<>(ScimJson.bytes(body), headers, status);
    }

    /** Writes {@code body} with {@code status}. */
    static void write(HttpServletResponse response, HttpStatus status, ObjectNode body) throws IOException {
        byte[] bytes = ScimJson.bytes(body);
        response.setStatus(status.value());
        response.setContentType(ScimJson.CONTENT_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * A single resource: with its {@code Location} (RFC 7644 section 3.1: the same URI as {@code meta.location}, on
     * every answer that carries the resource, not only on 201) and its {@code ETag}, taken from the resource itself
     * so an {@code attributes} selection that leaves out {@code meta} does not drop them.
     */
    static void resource(HttpServletResponse response, HttpStatus status, ObjectNode body, String location,
                         String etag) throws IOException {
        response.setHeader(HttpHeaders.LOCATION, location);
        response.setHeader(HttpHeaders.ETAG, etag);
        write(response, status, body);
    }

    /** 204 after a change (a group's PATCH): the headers of the resource without its body. */
    static void changed(HttpServletResponse response, String location, String etag) {
        response.setHeader(HttpHeaders.LOCATION, location);
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setStatus(HttpStatus.NO_CONTENT.value());
    }

    static void noContent(HttpServletResponse response) {
        response.setStatus(HttpStatus.NO_CONTENT.value());
    }

    /** 304 for a conditional GET whose {@code If-None-Match} names the current version. */
    static void notModified(HttpServletResponse response, String etag) {
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setStatus(HttpStatus.NOT_MODIFIED.value());
    }

    static ResponseEntity<byte[]> error(int status, String scimType, String detail) {
        return of(HttpStatus.valueOf(status), ScimJson.error(status, scimType, detail), null);
    }
}
