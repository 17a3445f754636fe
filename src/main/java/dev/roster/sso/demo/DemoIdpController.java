package dev.roster.sso.demo;

import java.util.UUID;

import org.opensaml.saml.saml2.core.AuthnRequest;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.roster.sso.saml.SpUrls;

/**
 * DEMO ONLY (profile {@code demo}): the mock IdPs' pages. {@code /demo-idp} explains the demo; the SSO endpoint
 * receives Roster's AuthnRequest and lets the visitor pick a demo person; the answer is a page whose form posts the
 * signed response to Roster's ACS, as a real IdP's would.
 */
@Controller
@Profile("demo")
class DemoIdpController {

    private final DemoIdp idp;
    private final DemoIdpSetup setup;
    private final SpUrls urls;

    DemoIdpController(DemoIdp idp, DemoIdpSetup setup, SpUrls urls) {
        this.idp = idp;
        this.setup = setup;
        this.urls = urls;
    }

    @GetMapping("/demo-idp")
    String overview(Model model) {
        model.addAttribute("flavours", DemoIdp.FLAVOURS);
        model.addAttribute("loginPaths", DemoIdp.FLAVOURS.stream().collect(java.util.stream.Collectors.toMap(
                DemoIdp.Flavour::key, f -> setup.connectionId(f.key()).map(id -> SpUrls.AUTHENTICATE_PATH + id)
                        .orElse("/sso/login"))));
        return "sso/demo-idp";
    }

    @GetMapping("/demo-idp/{flavour}/sso")
    String chooseUser(@PathVariable String flavour, @RequestParam("SAMLRequest") String samlRequest,
                      @RequestParam(name = "RelayState", required = false) String relayState, Model model) {
        DemoIdp.Flavour f = flavour(flavour);
        UUID connectionId = connection(f);
        AuthnRequest request = idp.readRequest(samlRequest);
        if (request.getIssuer() == null || !urls.entityId(connectionId).equals(request.getIssuer().getValue())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The request is not from the demo connection.");
        }
        model.addAttribute("flavour", f);
        model.addAttribute("requestId", request.getID());
        model.addAttribute("relayState", relayState);
        return "sso/demo-idp-choose";
    }

    @PostMapping("/demo-idp/{flavour}/sso")
    String respond(@PathVariable String flavour, @RequestParam String user, @RequestParam String requestId,
                   @RequestParam(required = false) String relayState, Model model) {
        DemoIdp.Flavour f = flavour(flavour);
        UUID connectionId = connection(f);
        DemoIdp.DemoUser person = f.users().stream().filter(u -> u.id().equals(user)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("flavour", f);
        model.addAttribute("person", person);
        model.addAttribute("acs", SpUrls.ACS_PATH + connectionId);
        model.addAttribute("samlResponse", idp.signedResponse(f, person, connectionId, requestId));
        model.addAttribute("relayState", relayState);
        return "sso/demo-idp-post";
    }

    private DemoIdp.Flavour flavour(String key) {
        return idp.flavour(key).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private UUID connection(DemoIdp.Flavour flavour) {
        return setup.connectionId(flavour.key())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Demo not set up yet."));
    }
}
