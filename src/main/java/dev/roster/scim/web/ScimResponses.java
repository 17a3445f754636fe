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

    static ResponseEntity<byte[]> resource(HttpStatus status, ObjectNode body) {
        HttpHeaders headers = new HttpHeaders();
        var meta = body.get("meta");
        if (meta != null && meta.hasNonNull("version")) {
            headers.set(HttpHeaders.ETAG, meta.get("version").asText());
        }
        if (status == HttpStatus.CREATED && meta != null && meta.hasNonNull("location")) {
            headers.set(HttpHeaders.LOCATION, meta.get("location").asText());
        }
        return of(status, body, headers);
    }

    static ResponseEntity<byte[]> error(int status, String scimType, String detail) {
        return of(HttpStatus.valueOf(status), ScimJson.error(status, scimType, detail), null);
    }

    static ResponseEntity<byte[]> noContent() {
        return ResponseEntity.noContent().build();
    }
}
