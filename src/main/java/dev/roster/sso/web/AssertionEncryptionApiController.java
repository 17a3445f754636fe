package dev.roster.sso.web;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.shared.OrgContext;
import dev.roster.sso.saml.AssertionEncryptionService.EncryptionRequest;
import dev.roster.sso.saml.AssertionEncryptionService.EncryptionView;
import dev.roster.sso.saml.AssertionEncryptionService.NextKeyRequest;
import dev.roster.sso.saml.AssertionEncryptionService;

/** The admin API of a connection's assertion encryption and SP key rollover (docs/api.md). */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/sso-connections/{id}/encryption")
class AssertionEncryptionApiController {

    private final AssertionEncryptionService encryption;

    AssertionEncryptionApiController(AssertionEncryptionService encryption) {
        this.encryption = encryption;
    }

    @GetMapping
    EncryptionView get(OrgContext org, @PathVariable UUID id) {
        return encryption.find(org.organizationId(), id);
    }

    @PatchMapping
    EncryptionView update(OrgContext org, @PathVariable UUID id, @RequestBody EncryptionRequest request) {
        return encryption.update(org.organizationId(), id, request, org.actor());
    }

    @PostMapping("/next-key")
    @ResponseStatus(HttpStatus.CREATED)
    EncryptionView startRollover(OrgContext org, @PathVariable UUID id,
                                 @RequestBody(required = false) NextKeyRequest request) {
        return encryption.startRollover(org.organizationId(), id, request, org.actor());
    }

    @PostMapping("/next-key/promote")
    EncryptionView completeRollover(OrgContext org, @PathVariable UUID id) {
        return encryption.completeRollover(org.organizationId(), id, org.actor());
    }

    @DeleteMapping("/next-key")
    EncryptionView cancelRollover(OrgContext org, @PathVariable UUID id) {
        return encryption.cancelRollover(org.organizationId(), id, org.actor());
    }
}
