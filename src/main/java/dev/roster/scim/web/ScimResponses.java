package dev.roster.scim.web;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.roster.scim.protocol.ScimJson;

/** Every SCIM answer is {@code application/scim+json} (RFC 7644 section 3.1), whatever the client accepts. */
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

    /**
     * A single resource: with its {@code Location} (RFC 7644 section 3.1: the same URI as {@code meta.location}, on
     * every answer that carries the resource, not only on 201) and its {@code ETag}, taken from the resource itself
     * so an {@code attributes} selection that leaves out {@code meta} does not drop them.
     */
    static ResponseEntity<byte[]> resource(HttpStatus status, ObjectNode body, String location, String etag) {
        return of(status, body, resourceHeaders(location, etag));
    }

    /** 204 after a change (a group's PATCH): the headers of the resource without its body. */
    static ResponseEntity<byte[]> changed(String location, String etag) {
        return ResponseEntity.noContent().headers(resourceHeaders(location, etag)).build();
    }

    private static HttpHeaders resourceHeaders(String location, String etag) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.LOCATION, location);
        headers.set(HttpHeaders.ETAG, etag);
        return headers;
    }

    static ResponseEntity<byte[]> error(int status, String scimType, String detail) {
        return of(HttpStatus.valueOf(status), ScimJson.error(status, scimType, detail), null);
    }

    static ResponseEntity<byte[]> noContent() {
        return ResponseEntity.noContent().build();
    }
}
